// Overview: balance, spent today and this month, the rate-limit budget of each client, 30 days of spend.
import { gql } from '../api.ts';
import { BarChart } from '../chart.tsx';
import { graphql } from '../gql/index.ts';
import { credits, Section, Table, useLoad, when } from '../ui.tsx';

const Overview = graphql(`
  query ConsoleOverview {
    consoleOverview {
      asOf
      balance
      spentToday
      spentThisMonth
      spendSeries {
        day
        amount
        requests
      }
      rateLimits {
        clientId
        name
        mode
        minute {
          limit
          remaining
          reset
        }
        day {
          limit
          remaining
          reset
        }
      }
    }
  }
`);

const bucket = (b: { limit: number; remaining?: number | null; reset: string }) =>
  `${b.remaining ?? b.limit} of ${b.limit} (refills ${when(b.reset)})`;

export function OverviewPage() {
  const loaded = useLoad(() => gql(Overview));
  return (
    <Section title="Overview" loaded={loaded}>
      {({ consoleOverview: o }) => (
        <>
          <div class="cards">
            <Card k="Balance (credits)" v={credits(o.balance)} />
            <Card k="Spent today" v={credits(o.spentToday)} />
            <Card k="Spent this month" v={credits(o.spentThisMonth)} />
          </div>
          <h2>Spend, last 30 days</h2>
          <BarChart
            title="Credits spent per day (UTC)"
            unit="credits"
            points={o.spendSeries.map((d) => ({ label: d.day, value: Number(d.amount) }))}
          />
          <h2>Rate-limit budget</h2>
          <Table
            caption="Requests left in the current minute and day, per API client"
            head={['Client', 'Mode', 'This minute', 'Today']}
            rows={o.rateLimits.map((b) => [b.name, b.mode.toLowerCase(), bucket(b.minute), bucket(b.day)])}
            empty="No API clients yet."
          />
          <p class="muted">As of {when(o.asOf)}.</p>
        </>
      )}
    </Section>
  );
}

function Card({ k, v }: { k: string; v: string }) {
  return (
    <div class="card">
      <p class="k">{k}</p>
      <p class="v">{v}</p>
    </div>
  );
}
