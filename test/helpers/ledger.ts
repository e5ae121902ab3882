// Reading back what a paid read charged: ledger rows by request id, an account's balance, units as credits.
import type { Sql } from '../../src/platform/db/client.ts';

export async function ledgerRows(sql: Sql, requestId: string) {
  return sql<
    {
      amount: bigint;
      balance_after: bigint;
      client_id: string;
      kind: string;
      lines: { action: string; amount: number }[];
    }[]
  >`
    select amount, balance_after, client_id, kind, lines from credit_ledger where request_id = ${requestId}`;
}

export async function balanceUnits(sql: Sql, accountId: string): Promise<bigint> {
  const [r] = await sql<{ balance: bigint }[]>`select balance from accounts where account_id = ${accountId}`;
  return r.balance;
}

/** Credits (a JS number) from units, as the API renders them. */
export const credits = (units: bigint | number) => Number(units) / 10_000;
