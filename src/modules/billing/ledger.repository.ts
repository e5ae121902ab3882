// The single-statement debit (the benchmark floor uses it as is; the service sends the same guard + ledger row
// through the group-commit batcher, src/modules/billing/debit-batcher.ts). A single statement that lowers the balance only when it covers the cost and writes
// the ledger row that explains it. No overdraft is possible (the guard and the check constraint), and a
// debit without its ledger row (or the reverse) cannot exist.

import type { Units } from '../../kernel/credits.ts';
import type { Sql } from '../../platform/db/client.ts';

export interface LedgerLine {
  action: string;
  barcode?: string;
  /** products.bulk_check: every barcode checked, in request order (one line, units = count). */
  barcodes?: string[];
  scope?: string;
  variant?: string;
  size?: string;
  format?: string;
  /** How many of the action (1 per line, except the one bulk-check line). */
  units: number;
  /** Rate and amount in 1/10,000 credit, as integers. */
  rate: number;
  amount: number;
}

export interface DebitRequest {
  accountId: string;
  clientId: string;
  /** One debit per request id: a debit sent again with the same id is applied once (debit_batch). */
  requestId: string;
  cost: Units;
  lines: LedgerLine[];
  /**
   * The Idempotency-Key this debit answers (docs/billing.md#idempotency-keys): debited only while `owner` holds
   * the key's lease uncharged, and the key is marked charged in the debit's own transaction.
   */
  idempotency?: { clientId: string; scope: string; key: string; owner: string };
}

/**
 * Returns the balance after the debit, or null when the balance did not cover it (nothing changed).
 * @public The bench's billed floor runs it from dist/ (test/bench/floor-server.mjs).
 */
export async function debitAccount(sql: Sql, d: DebitRequest): Promise<Units | null> {
  const rows = await sql<{ balance: bigint }[]>`/* debitAccount */
    with debited as (
      update accounts set balance = balance - ${String(d.cost)}::bigint
      where account_id = ${d.accountId} and balance >= ${String(d.cost)}::bigint
      returning balance
    ), entry as (
      insert into credit_ledger (account_id, client_id, request_id, kind, amount, balance_after, lines)
      select ${d.accountId}, ${d.clientId}, ${d.requestId}, 'debit', -${String(d.cost)}::bigint, balance,
             ${JSON.stringify(d.lines)}::text::jsonb
      from debited
      returning balance_after
    )
    select balance_after as balance from entry`;
  return rows.length ? rows[0].balance : null;
}

export async function accountBalance(sql: Sql, accountId: string): Promise<Units | null> {
  const rows = await sql<
    { balance: bigint }[]
  >`/* accountBalance */ select balance from accounts where account_id = ${accountId}`;
  return rows.length ? rows[0].balance : null;
}
