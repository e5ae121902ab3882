// SQL for accounts and admin credit grants. Every balance change writes its ledger row in the same statement.
import type { Sql } from '../../platform/db/client.ts';

export interface AccountRow {
  accountId: string;
  name: string;
  balance: bigint;
  createdAt: Date;
}

export interface GrantRow {
  amount: bigint;
  balanceAfter: bigint;
  reason: string | null;
}

export async function insertAccount(tx: Sql, accountId: string, name: string): Promise<AccountRow> {
  const [r] = await tx<{ account_id: string; name: string; balance: bigint; created_at: Date }[]>`/* insertAccount */
    insert into accounts (account_id, name) values (${accountId}, ${name}) returning account_id, name, balance, created_at`;
  return { accountId: r.account_id, name: r.name, balance: r.balance, createdAt: r.created_at };
}

export async function accountById(sql: Sql, accountId: string): Promise<AccountRow | null> {
  const rows = await sql<{ account_id: string; name: string; balance: bigint; created_at: Date }[]>`/* accountById */
    select account_id, name, balance, created_at from accounts where account_id = ${accountId}`;
  const r = rows[0];
  return r ? { accountId: r.account_id, name: r.name, balance: r.balance, createdAt: r.created_at } : null;
}

export async function countAccounts(sql: Sql): Promise<number> {
  const [{ n }] = await sql<
    { n: number }[]
  >`/* countAccounts */ select count(*)::int as n from (select 1 from accounts limit 1) a`;
  return n;
}

/**
 * Adds `amount` units (negative: an adjustment down) and writes the ledger row, in one statement. With an
 * idempotency key, a second grant under the same key violates credit_ledger_idem_idx and changes nothing
 * (the caller then reads the first one back). Returns null when the account does not exist.
 */
export async function applyGrant(
  sql: Sql,
  g: {
    accountId: string;
    amount: bigint;
    kind: 'grant' | 'adjustment';
    reason: string | null;
    idempotencyKey: string | null;
  },
): Promise<bigint | null> {
  const rows = await sql<{ balance_after: bigint }[]>`/* applyGrant */
    with acc as (
      update accounts set balance = balance + ${String(g.amount)}::bigint where account_id = ${g.accountId} returning balance
    )
    insert into credit_ledger (account_id, kind, amount, balance_after, reason, idempotency_key)
    select ${g.accountId}, ${g.kind}, ${String(g.amount)}::bigint, balance, ${g.reason}, ${g.idempotencyKey} from acc
    returning balance_after`;
  return rows[0]?.balance_after ?? null;
}

export async function grantByIdempotencyKey(sql: Sql, accountId: string, key: string): Promise<GrantRow | null> {
  const rows = await sql<{ amount: bigint; balance_after: bigint; reason: string | null }[]>`/* grantByIdempotencyKey */
    select amount, balance_after, reason from credit_ledger where account_id = ${accountId} and idempotency_key = ${key}`;
  const r = rows[0];
  return r ? { amount: r.amount, balanceAfter: r.balance_after, reason: r.reason } : null;
}
