// The ledger: every debit and grant, newest first, with the balance after each; older pages; CSV export.
import { useState } from 'preact/hooks';
import { gql } from '../api.ts';
import { graphql } from '../gql/index.ts';
import { credits, Section, Table, useLoad, when } from '../ui.tsx';

const Ledger = graphql(`
  query ConsoleLedger($first: Int, $before: String) {
    consoleLedger(first: $first, before: $before) {
      nextBefore
      entries {
        id
        at
        kind
        amount
        balanceAfter
        clientId
        requestId
        reason
      }
    }
  }
`);

export function LedgerPage() {
  const [before, setBefore] = useState<string[]>([]);
  const cursor = before.at(-1) ?? null;
  const loaded = useLoad(() => gql(Ledger, { first: 50, before: cursor }), [cursor]);
  return (
    <Section title="Ledger" loaded={loaded}>
      {({ consoleLedger: l }) => (
        <>
          <p>
            <a class="button secondary" href="/console/ledger.csv" download>
              Export CSV
            </a>
          </p>
          <Table
            caption="Debits and grants, newest first"
            head={['When', 'Kind', 'Credits', 'Balance after', 'Client', 'Reason or request']}
            rows={l.entries.map((e) => [
              when(e.at),
              e.kind,
              credits(e.amount),
              credits(e.balanceAfter),
              e.clientId ? <code key="c">{e.clientId}</code> : '—',
              e.reason ?? (e.requestId ? <code key="r">{e.requestId}</code> : '—'),
            ])}
            empty="No ledger entries."
          />
          <div class="actions">
            {before.length > 0 ? (
              <button type="button" class="secondary" onClick={() => setBefore(before.slice(0, -1))}>
                Newer
              </button>
            ) : null}
            {l.nextBefore ? (
              <button type="button" class="secondary" onClick={() => setBefore([...before, l.nextBefore!])}>
                Older
              </button>
            ) : null}
          </div>
        </>
      )}
    </Section>
  );
}
