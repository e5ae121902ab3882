// SQL of the console's account data (docs/console.md#operations): spend, usage lines, ledger pages, key hints
// and last use. Usage reads the same ledger lines and test_usage rows as GET /api/v1/usage.
import type { Sql } from '../../platform/db/client.ts';
import type { LedgerEntryView, UsageRowView } from './console.views.ts';

export async function spend(
  sql: Sql,
  accountId: string,
): Promise<{
  balance: bigint;
  today: bigint;
  month: bigint;
  asOf: Date;
  series: { day: string; amount: bigint; requests: bigint }[];
}> {
  const [b] = await sql<{ balance: bigint; today: bigint; month: bigint; as_of: Date }[]>`/* consoleSpend */
    with t as (select now() as as_of, (now() at time zone 'UTC')::date as today)
    select a.balance,
           coalesce(sum(s.amount) filter (where s.day = t.today), 0)::bigint as today,
           coalesce(sum(s.amount) filter (where s.day >= date_trunc('month', t.today)::date), 0)::bigint as month,
           t.as_of
    from accounts a cross join t
    left join spend_daily s on s.account_id = a.account_id and s.day >= least(date_trunc('month', t.today)::date, t.today - 29)
    where a.account_id = ${accountId}
    group by a.balance, t.as_of`;
  const series = await sql<{ day: string; amount: bigint; requests: bigint }[]>`/* consoleSpendSeries */
    select to_char(d, 'YYYY-MM-DD') as day, coalesce(sum(s.amount), 0)::bigint as amount,
           coalesce(sum(s.debits), 0)::bigint as requests
    from generate_series((now() at time zone 'UTC')::date - 29, (now() at time zone 'UTC')::date, interval '1 day') d
    left join spend_daily s on s.account_id = ${accountId} and s.day = d::date
    group by d order by d`;
  return { balance: b.balance, today: b.today, month: b.month, asOf: b.as_of, series };
}

/** Per UTC day × client × action/scope/variant, live (ledger) and test (test_usage). */
export async function usageLines(sql: Sql, accountId: string, from: string, to: string): Promise<UsageRowView[]> {
  const rows = await sql<
    {
      day: string;
      client_id: string | null;
      client_name: string | null;
      mode: 'live' | 'test';
      action: string;
      scope: string | null;
      variant: string | null;
      requests: bigint;
      units: bigint;
      amount: bigint;
    }[]
  >`/* consoleUsageLines */
    with lines as (
      select 'live' as mode, l.client_id, l.entry_id::text as req, l.created_at, line
      from credit_ledger l cross join lateral jsonb_array_elements(l.lines) as line
      where l.account_id = ${accountId} and l.kind = 'debit'
        and l.created_at >= (${from}::date::timestamp at time zone 'UTC')
        and l.created_at < ((${to}::date + 1)::timestamp at time zone 'UTC')
      union all
      select 'test', t.client_id, t.request_id, t.created_at, line
      from test_usage t cross join lateral jsonb_array_elements(t.lines) as line
      where t.account_id = ${accountId}
        and t.created_at >= (${from}::date::timestamp at time zone 'UTC')
        and t.created_at < ((${to}::date + 1)::timestamp at time zone 'UTC')
    )
    select to_char((x.created_at at time zone 'UTC')::date, 'YYYY-MM-DD') as day, x.client_id, c.name as client_name,
           x.mode, x.line->>'action' as action, x.line->>'scope' as scope, x.line->>'variant' as variant,
           count(distinct x.req)::bigint as requests,
           coalesce(sum((x.line->>'units')::bigint), 0)::bigint as units,
           coalesce(sum((x.line->>'amount')::bigint), 0)::bigint as amount
    from lines x left join api_clients c on c.client_id = x.client_id
    group by 1, 2, 3, 4, 5, 6, 7
    order by 1, 2, 5, 6, 7
    limit 50000`;
  return rows.map((r) => ({
    day: r.day,
    clientId: r.client_id,
    clientName: r.client_name,
    mode: r.mode,
    action: r.action,
    scope: r.scope,
    variant: r.variant,
    requests: r.requests,
    units: r.units,
    amount: r.amount,
  }));
}

export async function ledgerPage(
  sql: Sql,
  accountId: string,
  first: number,
  before: string | null,
): Promise<LedgerEntryView[]> {
  const rows = await sql<
    {
      entry_id: string;
      created_at: Date;
      kind: string;
      amount: bigint;
      balance_after: bigint;
      client_id: string | null;
      request_id: string | null;
      reason: string | null;
    }[]
  >`/* consoleLedgerPage */
    select entry_id::text, created_at, kind, amount, balance_after, client_id, request_id, reason
    from credit_ledger
    where account_id = ${accountId} and (${before}::bigint is null or entry_id < ${before}::bigint)
    order by entry_id desc limit ${first}`;
  return rows.map((r) => ({
    id: r.entry_id,
    at: r.created_at,
    kind: r.kind,
    amount: r.amount,
    balanceAfter: r.balance_after,
    clientId: r.client_id,
    requestId: r.request_id,
    reason: r.reason,
  }));
}

export async function clientExtras(
  sql: Sql,
  accountId: string,
): Promise<Map<string, { hint: string | null; lastUsedAt: Date | null }>> {
  const rows = await sql<
    { client_id: string; hint: string | null; last_used_at: Date | null }[]
  >`/* consoleClientExtras */
    select c.client_id, h.hint,
           greatest((select max(issued_at) from refresh_tokens r where r.client_id = c.client_id),
                    (select max(created_at) from credit_ledger l where l.client_id = c.client_id and l.kind = 'debit'),
                    (select max(created_at) from test_usage t where t.client_id = c.client_id)) as last_used_at
    from api_clients c left join console_key_hints h on h.client_id = c.client_id
    where c.account_id = ${accountId}`;
  return new Map(rows.map((r) => [r.client_id, { hint: r.hint, lastUsedAt: r.last_used_at }]));
}

export async function setKeyHint(sql: Sql, clientId: string, hint: string): Promise<void> {
  await sql`/* setKeyHint */
    insert into console_key_hints (client_id, hint) values (${clientId}, ${hint})
    on conflict (client_id) do update set hint = excluded.hint, updated_at = now()`;
}
