// The account's audit log: who did what, when, from which address; newest first, with older pages.
import { useState } from 'preact/hooks';
import { gql } from '../api.ts';
import { graphql } from '../gql/index.ts';
import { Section, Table, useLoad, when } from '../ui.tsx';

const Audit = graphql(`
  query ConsoleAuditLog($first: Int, $before: String) {
    consoleAuditLog(first: $first, before: $before) {
      nextBefore
      entries {
        id
        at
        actorKind
        actor
        action
        target
        details
        ip
      }
    }
  }
`);

export function AuditPage() {
  const [before, setBefore] = useState<string[]>([]);
  const cursor = before.at(-1) ?? null;
  const loaded = useLoad(() => gql(Audit, { first: 50, before: cursor }), [cursor]);
  return (
    <Section title="Audit log" loaded={loaded}>
      {({ consoleAuditLog: a }) => (
        <>
          <Table
            caption="Console actions on this account, newest first"
            head={['When', 'Who', 'Action', 'On', 'Details', 'From']}
            rows={a.entries.map((e) => [
              when(e.at),
              `${e.actor ?? '—'} (${e.actorKind.toLowerCase()})`,
              <code key="a">{e.action}</code>,
              e.target ?? '—',
              e.details,
              e.ip ?? '—',
            ])}
            empty="Nothing logged yet."
          />
          <div class="actions">
            {before.length > 0 ? (
              <button type="button" class="secondary" onClick={() => setBefore(before.slice(0, -1))}>
                Newer
              </button>
            ) : null}
            {a.nextBefore ? (
              <button type="button" class="secondary" onClick={() => setBefore([...before, a.nextBefore!])}>
                Older
              </button>
            ) : null}
          </div>
        </>
      )}
    </Section>
  );
}
