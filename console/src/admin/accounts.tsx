// Operator: find accounts by name, e-mail or id, and grant (or take back) credits with a reason; webhook health.
import { useState } from 'preact/hooks';
import { gql } from '../api.ts';
import { graphql } from '../gql/index.ts';
import { credits, ErrorNote, Field, formValues, Notice, Section, Table, useAction, useLoad, when } from '../ui.tsx';

const Accounts = graphql(`
  query OperatorAccounts($search: String, $first: Int) {
    operatorAccounts(search: $search, first: $first) {
      accountId
      name
      owners
      balance
      clients
      createdAt
    }
  }
`);

const Grant = graphql(`
  mutation OperatorGrantCredits($accountId: ID!, $amount: Credits!, $reason: String!, $idempotencyKey: String!) {
    operatorGrantCredits(accountId: $accountId, amount: $amount, reason: $reason, idempotencyKey: $idempotencyKey)
  }
`);

const Health = graphql(`
  query OperatorWebhookHealth {
    operatorWebhookHealth {
      queued
      retrying
      delivered
      failed
      retries
      oldestDueSeconds
    }
  }
`);

export function AccountsPage() {
  const [search, setSearch] = useState('');
  const loaded = useLoad(() => gql(Accounts, { search: search || null, first: 50 }), [search]);
  const [done, setDone] = useState<string | null>(null);
  // One key per grant form shown: a double submit (or a retry after a lost answer) grants once.
  const [grantKey, setGrantKey] = useState(() => crypto.randomUUID());
  const grant = useAction(async (v: Record<string, string>) => {
    const balance = await gql(Grant, {
      accountId: v.accountId,
      amount: Number(v.amount),
      reason: v.reason,
      idempotencyKey: grantKey,
    });
    setDone(`Granted ${v.amount} credits to ${v.accountId}; balance now ${credits(balance.operatorGrantCredits)}.`);
    setGrantKey(crypto.randomUUID());
    loaded.reload();
  });
  return (
    <Section title="Accounts" loaded={loaded}>
      {(d) => (
        <>
          <form class="stack row" onSubmit={(e) => setSearch(formValues(e).search ?? '')}>
            <Field
              label="Find an account"
              name="search"
              value={search}
              maxLength={200}
              hint="Name, owner e-mail or id."
            />
            <button type="submit">Find</button>
          </form>
          <Table
            caption="Accounts"
            head={['Name', 'Account id', 'Owners', 'Balance', 'Clients', 'Created']}
            rows={d.operatorAccounts.map((a) => [
              a.name,
              <code key="id">{a.accountId}</code>,
              a.owners.join(', ') || '—',
              credits(a.balance),
              a.clients,
              when(a.createdAt),
            ])}
            empty="No account matches."
          />
          <form class="stack" onSubmit={(e) => grant.act(formValues(e))} aria-labelledby="grant-title">
            <h2 id="grant-title">Grant credits</h2>
            <div class="row">
              <Field label="Account id" name="accountId" required maxLength={100} />
              <Field
                label="Credits"
                name="amount"
                required
                inputMode="decimal"
                maxLength={20}
                hint="Negative takes credits back. Up to 4 decimals."
              />
              <Field label="Reason" name="reason" required maxLength={500} />
            </div>
            <ErrorNote error={grant.error} />
            <button type="submit" disabled={grant.busy}>
              Grant
            </button>
            {done ? <Notice>{done}</Notice> : null}
          </form>
        </>
      )}
    </Section>
  );
}

export function WebhookHealthPage() {
  const loaded = useLoad(() => gql(Health));
  return (
    <Section title="Webhook delivery health" loaded={loaded}>
      {({ operatorWebhookHealth: h }) => (
        <Table
          caption="Deliveries by state, all accounts"
          head={['Queued', 'Retrying', 'Delivered', 'Failed', 'Retries', 'Oldest due']}
          rows={[
            [
              h.queued,
              h.retrying,
              h.delivered,
              h.failed,
              h.retries,
              h.oldestDueSeconds === null || h.oldestDueSeconds === undefined
                ? 'none due'
                : `${Math.round(h.oldestDueSeconds)} s`,
            ],
          ]}
        />
      )}
    </Section>
  );
}
