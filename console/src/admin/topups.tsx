// Operator: top-up requests by state; confirm payment (credits the account once) or reject with a note.
import { useState } from 'preact/hooks';
import { gql } from '../api.ts';
import type { TopUpStatus } from '../gql/graphql.ts';
import { graphql } from '../gql/index.ts';
import { credits, ErrorNote, Section, Select, Table, useAction, useLoad, when } from '../ui.tsx';

const TopUps = graphql(`
  query OperatorTopUps($status: TopUpStatus, $first: Int) {
    operatorTopUps(status: $status, first: $first) {
      topUpId
      accountId
      accountName
      packageId
      credits
      price
      currency
      status
      requestedAt
      requestedBy
      decidedAt
      decidedBy
    }
  }
`);

const Confirm = graphql(`
  mutation OperatorConfirmTopUp($topUpId: ID!) {
    operatorConfirmTopUp(topUpId: $topUpId) {
      topUpId
      status
    }
  }
`);

const Reject = graphql(`
  mutation OperatorRejectTopUp($topUpId: ID!, $note: String!) {
    operatorRejectTopUp(topUpId: $topUpId, note: $note) {
      topUpId
      status
    }
  }
`);

export function OperatorTopUpsPage() {
  const [status, setStatus] = useState<TopUpStatus>('PENDING');
  const loaded = useLoad(() => gql(TopUps, { status, first: 100 }), [status]);
  const act = useAction(async (what: 'confirm' | 'reject', topUpId: string) => {
    if (what === 'confirm') await gql(Confirm, { topUpId });
    else await gql(Reject, { topUpId, note: 'payment not received' });
    loaded.reload();
  });
  return (
    <Section title="Top-ups" loaded={loaded}>
      {(d) => (
        <>
          <div class="stack row" onChange={(e) => setStatus((e.target as HTMLSelectElement).value as TopUpStatus)}>
            <Select
              label="Show"
              name="status"
              value={status}
              options={[
                ['PENDING', 'pending'],
                ['CONFIRMED', 'confirmed'],
                ['REJECTED', 'rejected'],
                ['CANCELLED', 'cancelled'],
              ]}
            />
          </div>
          <ErrorNote error={act.error} />
          <Table
            caption={`Top-ups (${status.toLowerCase()})`}
            head={['Requested', 'Account', 'Package', 'Credits', 'Price', 'By', 'Status', '']}
            rows={d.operatorTopUps.map((t) => [
              when(t.requestedAt),
              `${t.accountName} (${t.accountId})`,
              t.packageId,
              credits(t.credits),
              `${t.price} ${t.currency}`,
              t.requestedBy ?? '—',
              t.status.toLowerCase(),
              t.status === 'PENDING' ? (
                <div class="actions" key="a">
                  <button type="button" onClick={() => act.act('confirm', t.topUpId)} disabled={act.busy}>
                    Confirm payment<span class="skip"> of {t.accountName}</span>
                  </button>
                  <button
                    type="button"
                    class="secondary"
                    onClick={() => act.act('reject', t.topUpId)}
                    disabled={act.busy}
                  >
                    Reject<span class="skip"> {t.accountName}</span>
                  </button>
                </div>
              ) : (
                (t.decidedBy ?? '')
              ),
            ])}
            empty="No top-ups in this state."
          />
        </>
      )}
    </Section>
  );
}
