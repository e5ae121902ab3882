// Usage per day and per action, scope and variant, the same numbers as /usage; a chart of the days and the CSV
// export (a plain GET with the session cookie).
import { useState } from 'preact/hooks';
import { gql } from '../api.ts';
import { BarChart } from '../chart.tsx';
import { graphql } from '../gql/index.ts';
import { credits, Field, formValues, Section, Table, useLoad } from '../ui.tsx';

const Usage = graphql(`
  query ConsoleUsage($from: Date, $to: Date) {
    consoleUsage(from: $from, to: $to) {
      from
      to
      totalRequests
      totalAmount
      rows {
        day
        clientId
        clientName
        mode
        action
        scope
        variant
        requests
        units
        amount
      }
    }
  }
`);

export function UsagePage() {
  const [range, setRange] = useState<{ from: string | null; to: string | null }>({ from: null, to: null });
  const loaded = useLoad(() => gql(Usage, range), [range.from, range.to]);
  return (
    <Section title="Usage" loaded={loaded}>
      {({ consoleUsage: u }) => {
        const perDay = new Map<string, number>();
        for (const r of u.rows) if (r.mode === 'LIVE') perDay.set(r.day, (perDay.get(r.day) ?? 0) + Number(r.amount));
        const csv = `/console/usage.csv?from=${u.from}&to=${u.to}`;
        return (
          <>
            <form
              class="stack row"
              onSubmit={(e) => {
                const v = formValues(e);
                setRange({ from: v.from || null, to: v.to || null });
              }}
            >
              <Field label="From (UTC day)" name="from" type="date" value={u.from} />
              <Field label="To (UTC day)" name="to" type="date" value={u.to} />
              <button type="submit">Show</button>
              <a class="button secondary" href={csv} download>
                Export CSV
              </a>
            </form>
            <p>
              {u.from} to {u.to}: <strong>{u.totalRequests}</strong> requests, <strong>{credits(u.totalAmount)}</strong>{' '}
              credits (live; test calls are listed apart and cost nothing).
            </p>
            <BarChart
              title="Live credits per day"
              unit="credits"
              points={days(u.from, u.to).map((label) => ({ label, value: perDay.get(label) ?? 0 }))}
            />
            <Table
              caption="Usage per day, client, action, scope and variant"
              head={['Day', 'Client', 'Mode', 'Action', 'Scope', 'Variant', 'Requests', 'Units', 'Credits']}
              rows={u.rows.map((r) => [
                r.day,
                r.clientName ?? r.clientId ?? '—',
                r.mode.toLowerCase(),
                <code key="a">{r.action}</code>,
                r.scope ?? '—',
                r.variant ?? '—',
                r.requests,
                r.units,
                credits(r.amount),
              ])}
              empty="No usage in this period."
            />
          </>
        );
      }}
    </Section>
  );
}

/** Every UTC day from `from` to `to` (YYYY-MM-DD, inclusive; the server allows at most 366), so quiet days show. */
function days(from: string, to: string): string[] {
  const out: string[] = [];
  const end = Date.parse(`${to}T00:00:00Z`);
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= end && out.length < 367; t += 86_400_000)
    out.push(new Date(t).toISOString().slice(0, 10));
  return out;
}
