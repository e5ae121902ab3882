// SQL of the account endpoints: the balance with what was spent (from the spend_daily rollup, see migration
// 0300), the account + client rows, and usage breakdowns for invoicing.
import type { Sql } from '../../platform/db/client.ts';

export interface BalanceRow {
  balance: bigint;
  spent_today: bigint;
  spent_this_month: bigint;
  as_of: Date;
}

/** One statement, one snapshot: the balance and the spend figures agree with each other. */
export async function balanceWithSpend(sql: Sql, accountId: string): Promise<BalanceRow | null> {
  const rows = await sql<BalanceRow[]>`/* balanceWithSpend */
    with t as (select now() as as_of, (now() at time zone 'UTC')::date as today)
    select a.balance,
           coalesce(sum(s.amount) filter (where s.day = t.today), 0)::bigint as spent_today,
           coalesce(sum(s.amount), 0)::bigint as spent_this_month,
           t.as_of
    from accounts a cross join t
    left join spend_daily s on s.account_id = a.account_id and s.day >= date_trunc('month', t.today)::date
    where a.account_id = ${accountId}
    group by a.balance, t.as_of`;
  return rows[0] ?? null;
}

export interface AccountClientRow {
  account_id: string;
  account_name: string;
  balance: bigint;
  account_created_at: Date;
  client_id: string;
  client_name: string;
  tier: 'free' | 'standard' | 'enterprise';
  mode: 'live' | 'test';
  ip_allowlist: string[];
  scope_brands: string[] | null;
  scope_ownerships: string[] | null;
  expires_at: Date | null;
  created_at: Date;
}

export async function accountAndClient(sql: Sql, clientId: string): Promise<AccountClientRow | null> {
  const rows = await sql<AccountClientRow[]>`/* accountAndClient */
    select a.account_id, a.name as account_name, a.balance, a.created_at as account_created_at,
           c.client_id, c.name as client_name, c.tier, c.mode, c.ip_allowlist::text[] as ip_allowlist,
           c.scope_brands, c.scope_ownerships, c.expires_at, c.created_at
    from api_clients c join accounts a on a.account_id = c.account_id
    where c.client_id = ${clientId}`;
  return rows[0] ?? null;
}

export interface UsageRow {
  client_id: string;
  day: string; // YYYY-MM-DD (UTC)
  action: string | null;
  requests: bigint;
  units: bigint | null;
  amount: bigint;
}

/** Per (client, UTC day) from the rollup: cheap at any ledger size. */
export async function usageByClientDay(sql: Sql, accountId: string, from: string, to: string): Promise<UsageRow[]> {
  return sql<UsageRow[]>`/* usageByClientDay */
    select client_id, to_char(day, 'YYYY-MM-DD') as day, null::text as action, debits as requests, null::bigint as units, amount
    from spend_daily
    where account_id = ${accountId} and day between ${from}::date and ${to}::date
    order by day, client_id`;
}

/**
 * Per (client, UTC day, action) from the ledger lines ({action, units, amount, …} per debit). Reads the
 * ledger rows of the range through credit_ledger_account_time_idx: for invoicing, not for every request.
 */
export async function usageByAction(sql: Sql, accountId: string, from: string, to: string): Promise<UsageRow[]> {
  return sql<UsageRow[]>`/* usageByAction */
    select coalesce(l.client_id, '') as client_id, to_char((l.created_at at time zone 'UTC')::date, 'YYYY-MM-DD') as day,
           line->>'action' as action, count(distinct l.entry_id)::bigint as requests,
           coalesce(sum((line->>'units')::bigint), 0)::bigint as units,
           coalesce(sum((line->>'amount')::bigint), 0)::bigint as amount
    from credit_ledger l cross join lateral jsonb_array_elements(l.lines) as line
    where l.account_id = ${accountId} and l.kind = 'debit'
      and l.created_at >= (${from}::date::timestamp at time zone 'UTC')
      and l.created_at < ((${to}::date + 1)::timestamp at time zone 'UTC')
    group by 1, 2, 3
    order by 2, 1, 3`;
}

/**
 * The same two breakdowns of test mode's usage (docs/test-mode.md#usage): what the account's test clients' reads
 * would have cost, recorded in test_usage and never in the ledger.
 */
export async function testUsageByClientDay(sql: Sql, accountId: string, from: string, to: string): Promise<UsageRow[]> {
  return sql<UsageRow[]>`/* testUsageByClientDay */
    select client_id, to_char((created_at at time zone 'UTC')::date, 'YYYY-MM-DD') as day, null::text as action,
           count(*)::bigint as requests, null::bigint as units, coalesce(sum(amount), 0)::bigint as amount
    from test_usage
    where account_id = ${accountId}
      and created_at >= (${from}::date::timestamp at time zone 'UTC')
      and created_at < ((${to}::date + 1)::timestamp at time zone 'UTC')
    group by 1, 2
    order by 2, 1`;
}

export async function testUsageByAction(sql: Sql, accountId: string, from: string, to: string): Promise<UsageRow[]> {
  return sql<UsageRow[]>`/* testUsageByAction */
    select t.client_id, to_char((t.created_at at time zone 'UTC')::date, 'YYYY-MM-DD') as day,
           line->>'action' as action, count(distinct t.request_id)::bigint as requests,
           coalesce(sum((line->>'units')::bigint), 0)::bigint as units,
           coalesce(sum((line->>'amount')::bigint), 0)::bigint as amount
    from test_usage t cross join lateral jsonb_array_elements(t.lines) as line
    where t.account_id = ${accountId}
      and t.created_at >= (${from}::date::timestamp at time zone 'UTC')
      and t.created_at < ((${to}::date + 1)::timestamp at time zone 'UTC')
    group by 1, 2, 3
    order by 2, 1, 3`;
}

export async function clientNames(sql: Sql, accountId: string): Promise<Map<string, string>> {
  const rows = await sql<{ client_id: string; name: string }[]>`/* clientNames */
    select client_id, name from api_clients where account_id = ${accountId}`;
  return new Map(rows.map((r) => [r.client_id, r.name]));
}
