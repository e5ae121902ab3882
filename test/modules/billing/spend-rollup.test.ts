// The spend_daily roll-up costs one upsert per (account, day, client) per debit batch, not one per debit, and
// its totals stay exact (docs/billing.md#ledger-rows). Counts come from pg_stat_xact_user_tables read before and
// after the call inside one transaction (the view may also hold this backend's unflushed counts of earlier
// transactions, so only the difference is exact).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DebitBatcher } from '../../../src/modules/billing/debit-batcher.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/db.ts';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.drop();
});

async function account(id: string, balance: bigint) {
  await db.sql`insert into accounts (account_id, name, balance) values (${id}, ${id}, ${String(balance)}::bigint)`;
}
const item = (a: string, r: string, x: bigint) => ({
  a,
  c: null,
  r,
  x: String(x),
  l: [{ action: 'products.get', units: 1, rate: Number(x), amount: Number(x) }],
});

interface Touched {
  relname: string;
  ins: number;
  upd: number;
}

/** Runs one debit_batch call in a transaction and returns its outcomes and the rows it touched per table. */
async function batch(items: ReturnType<typeof item>[]) {
  return db.sql.begin(async (tx) => {
    const stats = async () => {
      const rows = await tx<Touched[]>`
        select relname, n_tup_ins::int as ins, n_tup_upd::int as upd from pg_stat_xact_user_tables
        where relname in ('accounts', 'credit_ledger', 'spend_daily')`;
      return new Map(rows.map((r) => [r.relname, r]));
    };
    const before = await stats();
    const out = await tx<{ idx: number; balance: bigint | null; outcome: string }[]>`
      select idx, balance, outcome from debit_batch(${JSON.stringify(items)}::text::jsonb) order by idx`;
    const after = await stats();
    const touched: Record<string, { ins: number; upd: number }> = {};
    for (const [t, a] of after)
      touched[t] = { ins: a.ins - (before.get(t)?.ins ?? 0), upd: a.upd - (before.get(t)?.upd ?? 0) };
    return { out, touched };
  });
}

async function totals(id: string) {
  const [l] = await db.sql<{ n: number; spent: bigint }[]>`
    select count(*)::int as n, coalesce(-sum(amount), 0)::bigint as spent
    from credit_ledger where account_id = ${id} and kind = 'debit'`;
  const [s] = await db.sql<{ n: number; spent: bigint }[]>`
    select coalesce(sum(debits), 0)::int as n, coalesce(sum(amount), 0)::bigint as spent
    from spend_daily where account_id = ${id}`;
  const [a] = await db.sql<{ balance: bigint }[]>`select balance from accounts where account_id = ${id}`;
  return { ledger: l, rollup: s, balance: a.balance };
}

describe('spend_daily roll-up per debit batch', () => {
  it('a batch of 40 debits over two accounts writes each account and each roll-up row once', async () => {
    await account('acc_r1', 1_000n);
    await account('acc_r2', 1_000n);
    // The first batch creates the two roll-up rows of today (two inserts, no update).
    const first = await batch([item('acc_r1', 'r1_0', 1n), item('acc_r2', 'r2_0', 1n)]);
    expect(first.touched.spend_daily).toEqual({ ins: 2, upd: 0 });

    const items = Array.from({ length: 40 }, (_, i) => item(i % 2 ? 'acc_r2' : 'acc_r1', `r_${i}`, 3n));
    const { out, touched } = await batch(items);
    expect(out.every((o) => o.outcome === 'debited')).toBe(true);
    expect(touched.credit_ledger).toEqual({ ins: 40, upd: 0 });
    expect(touched.spend_daily).toEqual({ ins: 0, upd: 2 });
    expect(touched.accounts).toEqual({ ins: 0, upd: 2 });
    // Balances after each debit still follow arrival order within the account.
    expect(out.filter((o) => o.idx % 2 === 1).map((o) => o.balance)).toEqual(
      Array.from({ length: 20 }, (_, i) => 999n - 3n * BigInt(i + 1)),
    );
    for (const id of ['acc_r1', 'acc_r2']) {
      const t = await totals(id);
      expect(t.ledger).toEqual({ n: 21, spent: 61n });
      expect(t.rollup).toEqual(t.ledger);
      expect(t.balance).toBe(1_000n - 61n);
    }
  });

  it('keeps the guard per debit, one debit per request id within a batch, and a retried request id', async () => {
    await account('acc_r3', 10n);
    await batch([item('acc_r3', 'r3_done', 2n)]);
    const { out, touched } = await batch([
      item('acc_r3', 'r3_a', 5n),
      item('acc_r3', 'r3_a', 5n), // the same request twice in one batch: charged once
      item('acc_r3', 'r3_done', 2n), // already charged by an earlier batch: its balance then, no new row
      item('acc_r3', 'r3_big', 4n), // does not fit (3 left)
      item('acc_r3', 'r3_small', 3n), // a later, smaller one still fits
      item('acc_missing', 'r3_x', 1n), // no such account: not debited
    ]);
    expect(out.map((o) => [o.idx, o.balance, o.outcome])).toEqual([
      [1, 3n, 'debited'],
      [2, 3n, 'debited'],
      [3, 8n, 'debited'],
      [5, 0n, 'debited'],
    ]);
    expect(touched.credit_ledger).toEqual({ ins: 2, upd: 0 });
    expect(touched.accounts).toEqual({ ins: 0, upd: 1 });
    const t = await totals('acc_r3');
    expect(t).toEqual({ ledger: { n: 3, spent: 10n }, rollup: { n: 3, spent: 10n }, balance: 0n });
  });

  it('stays exact under concurrent debits through the batcher', async () => {
    const ids = ['acc_c1', 'acc_c2', 'acc_c3'];
    for (const id of ids) await account(id, 1_500n);
    const b = new DebitBatcher(db.sql);
    const calls = Array.from({ length: 600 }, (_, i) =>
      b.debit({
        accountId: ids[i % 3],
        clientId: null as unknown as string,
        requestId: `rc_${i}`,
        cost: BigInt(1 + (i % 17)),
        lines: [{ action: 'products.get', units: 1, rate: 1 + (i % 17), amount: 1 + (i % 17) }],
      }),
    );
    const results = await Promise.all(calls);
    expect(results.some((r) => r === null)).toBe(true); // some did not fit: the guard was exercised
    for (const id of ids) {
      const t = await totals(id);
      expect(t.rollup).toEqual(t.ledger);
      expect(t.balance).toBe(1_500n - t.ledger.spent);
      expect(t.balance >= 0n).toBe(true);
    }
  });
});
