// Top-ups: pick a credit package; the request stays pending until an operator confirms payment, and is then
// credited once, with a ledger row naming it.
import { gql } from '../api.ts';
import { graphql } from '../gql/index.ts';
import { can, type Session } from '../session.ts';
import { credits, ErrorNote, Section, Table, useAction, useLoad, when } from '../ui.tsx';

const TopUps = graphql(`
  query ConsoleTopUps {
    creditPackages {
      packageId
      credits
      price
      currency
      active
    }
    consoleTopUps {
      topUpId
      packageId
      credits
      price
      currency
      status
      requestedAt
      requestedBy
      decidedAt
      note
    }
  }
`);

const Request = graphql(`
  mutation ConsoleRequestTopUp($packageId: ID!) {
    consoleRequestTopUp(packageId: $packageId) {
      topUpId
      status
    }
  }
`);

const Cancel = graphql(`
  mutation ConsoleCancelTopUp($topUpId: ID!) {
    consoleCancelTopUp(topUpId: $topUpId) {
      topUpId
      status
    }
  }
`);

export function TopUpsPage({ session }: { session: Session }) {
  const loaded = useLoad(() => gql(TopUps));
  const may = can.topUps(session.role);
  const act = useAction(async (what: 'request' | 'cancel', id: string) => {
    if (what === 'request') await gql(Request, { packageId: id });
    else await gql(Cancel, { topUpId: id });
    loaded.reload();
  });
  return (
    <Section title="Top-ups" loaded={loaded}>
      {(d) => (
        <>
          <h2>Credit packages</h2>
          <Table
            caption="Packages you can buy"
            head={['Package', 'Credits', 'Price', ...(may ? [''] : [])]}
            rows={d.creditPackages
              .filter((p) => p.active)
              .map((p) => [
                p.packageId,
                credits(p.credits),
                `${p.price} ${p.currency}`,
                ...(may
                  ? [
                      <button key="b" type="button" onClick={() => act.act('request', p.packageId)} disabled={act.busy}>
                        Request {p.packageId}
                      </button>,
                    ]
                  : []),
              ])}
            empty="No packages are on offer."
          />
          <ErrorNote error={act.error} />
          {!may ? <p class="muted">Only the owner and billing roles can request top-ups.</p> : null}
          <h2>Your requests</h2>
          <Table
            caption="Top-up requests, newest first"
            head={['Requested', 'Package', 'Credits', 'Price', 'Status', 'Decided', '']}
            rows={d.consoleTopUps.map((t) => [
              when(t.requestedAt),
              t.packageId,
              credits(t.credits),
              `${t.price} ${t.currency}`,
              <span key="s" class={t.status === 'PENDING' ? 'status-pending' : 'status-ok'}>
                {t.status.toLowerCase()}
              </span>,
              t.decidedAt ? `${when(t.decidedAt)}${t.note ? ` (${t.note})` : ''}` : '—',
              may && t.status === 'PENDING' ? (
                <button
                  key="c"
                  type="button"
                  class="secondary"
                  onClick={() => act.act('cancel', t.topUpId)}
                  disabled={act.busy}
                >
                  Cancel
                </button>
              ) : (
                ''
              ),
            ])}
            empty="No top-ups requested yet."
          />
        </>
      )}
    </Section>
  );
}
