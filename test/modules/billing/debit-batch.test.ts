// Group commit of debits: exact per debit, arrival order within an account, no deadlock across nodes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DebitBatcher } from '../../../src/modules/billing/debit-batcher.ts';
import { createSql, type Sql } from '../../../src/platform/db/client.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/db.ts';

let db: TestDatabase;
let second: Sql;
beforeAll(async () => {
  db = await createTestDatabase();
  second = createSql({ url: db.url, max: 4 });
});
afterAll(async () => {
  await second.end();
  await db.drop();
});

async function account(id: string, balance: bigint) {
  await db.sql`insert into accounts (account_id, name, balance) values (${id}, ${id}, ${String(balance)}::bigint)`;
}
const balanceOf = async (id: string) =>
  (await db.sql<{ balance: bigint }[]>`select balance from accounts where account_id = ${id}`)[0].balance;
const ledgerSum = async (id: string) =>
  (
    await db.sql<
      { s: bigint }[]
    >`select coalesce(sum(amount), 0)::bigint as s from credit_ledger where account_id = ${id}`
  )[0].s;

const req = (accountId: string, cost: bigint, n: number) => ({
  accountId,
  clientId: null as unknown as string,
  requestId: `req_${accountId}_${n}`,
  cost,
  lines: [{ action: 'products.get', units: 1, rate: Number(cost), amount: Number(cost) }],
});

describe('debit batcher', () => {
  it('admits debits of one account in arrival order while the balance covers them', async () => {
    await account('acc_order', 10n);
    const b = new DebitBatcher(db.sql);
    // The first debit leaves at once; the other three queue behind its commit and go out as one batch.
    const results = await Promise.all([
      b.debit(req('acc_order', 6n, 1)),
      b.debit(req('acc_order', 6n, 2)),
      b.debit(req('acc_order', 3n, 3)),
      b.debit(req('acc_order', 1n, 4)),
    ]);
    expect(results).toEqual([4n, null, 1n, 0n]);
    expect(await balanceOf('acc_order')).toBe(0n);
    const rows = await db.sql<{ request_id: string; amount: bigint; balance_after: bigint; lines: unknown }[]>`
      select request_id, amount, balance_after, lines from credit_ledger where account_id = 'acc_order' order by entry_id`;
    expect(rows.map((r) => [r.request_id, r.amount, r.balance_after])).toEqual([
      ['req_acc_order_1', -6n, 4n],
      ['req_acc_order_3', -3n, 1n],
      ['req_acc_order_4', -1n, 0n],
    ]);
    expect(rows[0].lines).toEqual([{ action: 'products.get', units: 1, rate: 6, amount: 6 }]);
  });

  it('two nodes debiting two accounts in opposite orders neither deadlock nor overdraw', async () => {
    await account('acc_x', 1_000n);
    await account('acc_y', 1_000n);
    const nodeA = new DebitBatcher(db.sql);
    const nodeB = new DebitBatcher(second);
    const calls: Promise<bigint | null>[] = [];
    for (let i = 0; i < 300; i++) {
      calls.push(nodeA.debit(req(i % 2 ? 'acc_x' : 'acc_y', 7n, i)));
      calls.push(nodeB.debit(req(i % 2 ? 'acc_y' : 'acc_x', 7n, 1000 + i)));
    }
    const results = await Promise.all(calls);
    const ok = results.filter((r) => r !== null).length;
    // 1,000 / 7 = 142 debits fit per account; 300 were attempted on each.
    expect(ok).toBe(2 * 142);
    for (const id of ['acc_x', 'acc_y']) {
      expect(await balanceOf(id)).toBe(1_000n - 142n * 7n);
      expect(await ledgerSum(id)).toBe(-(142n * 7n));
    }
  });

  it('a failing debit charges nothing and does not fail the others of its batch', async () => {
    await account('acc_fail', 100n);
    const b = new DebitBatcher(db.sql);
    // A non-existent client id violates the ledger's foreign key: the whole transaction rolls back.
    const bad = { ...req('acc_fail', 5n, 1), clientId: 'cl_missing' };
    const first = b.debit(req('acc_fail', 5n, 0));
    const results = await Promise.allSettled([b.debit(bad), b.debit(req('acc_fail', 5n, 2))]);
    expect(await first).toBe(95n);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'fulfilled']);
    expect((results[1] as PromiseFulfilledResult<bigint | null>).value).toBe(90n);
    expect(await balanceOf('acc_fail')).toBe(90n);
    expect(await ledgerSum('acc_fail')).toBe(-10n);
  });
});
