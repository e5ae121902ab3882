// Debit pipeline: several batches in flight per process, still one batch per account, so arrival order per
// account holds (docs/billing.md#the-atomic-debit).
import { setImmediate as tick } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DebitBatcher } from '../../../src/modules/billing/debit-batcher.ts';
import { createSql, type Sql } from '../../../src/platform/db/client.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/db.ts';

let db: TestDatabase;
/** The batchers' pool (the test's own connection, db.sql, holds row locks beside it). */
let pool: Sql;
beforeAll(async () => {
  db = await createTestDatabase();
  pool = createSql({ url: db.url, max: 8 });
});
afterAll(async () => {
  await pool.end();
  await db.drop();
});

async function account(id: string, balance: bigint) {
  await db.sql`insert into accounts (account_id, name, balance) values (${id}, ${id}, ${String(balance)}::bigint)`;
}
const req = (accountId: string, cost: bigint, n: number, clientId: string | null = null) => ({
  accountId,
  clientId: clientId as unknown as string,
  requestId: `req_${accountId}_${n}`,
  cost,
  lines: [{ action: 'products.get', units: 1, rate: Number(cost), amount: Number(cost) }],
});
const ledger = async (id: string) =>
  db.sql<{ request_id: string; amount: bigint; balance_after: bigint }[]>`
    select request_id, amount, balance_after from credit_ledger
    where account_id = ${id} and kind = 'debit' order by entry_id`;
/** debit_batch statements of the pool waiting for a lock right now. */
const waitingBatches = async () =>
  Number(
    (
      await db.sql<{ n: string }[]>`select count(*)::text as n from pg_stat_activity
        where query like '/* debitBatch */%' and wait_event_type = 'Lock'`
    )[0].n,
  );

/**
 * Holds account `id`'s row lock in a transaction of the test's own connection until `release()`: a batch
 * debiting it stays in flight (blocked in PostgreSQL) meanwhile.
 */
async function lockAccount(id: string) {
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  let locked!: () => void;
  const isLocked = new Promise<void>((r) => (locked = r));
  const tx = db.sql.begin(async (t) => {
    await t`select 1 from accounts where account_id = ${id} for update`;
    locked();
    await released;
  });
  await isLocked;
  return {
    release: async () => {
      release();
      await tx;
    },
  };
}

async function until(cond: () => Promise<boolean>, what: string) {
  for (let i = 0; i < 200; i++) {
    if (await cond()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('debit pipeline', () => {
  it('a second account is debited while a batch of the first is still in flight; the first account waits its turn', async () => {
    await account('acc_p', 100n);
    await account('acc_q', 100n);
    const b = new DebitBatcher(pool, undefined, undefined, 2);
    const lock = await lockAccount('acc_p');
    const p1 = b.debit(req('acc_p', 10n, 1));
    await until(async () => (await waitingBatches()) === 1, 'the acc_p batch to block on the row lock');
    // acc_p is held by the blocked batch: its next debit stays queued instead of racing it on another connection.
    const p2 = b.debit(req('acc_p', 10n, 2));
    // acc_q is free: it goes out as a second batch beside the blocked one and commits.
    const q1 = b.debit(req('acc_q', 30n, 1));
    expect(b.batchesInFlight).toBe(2);
    expect(await q1).toBe(70n);
    expect(await waitingBatches()).toBe(1);
    expect(b.batchesInFlight).toBe(1);
    await lock.release();
    expect(await Promise.all([p1, p2])).toEqual([90n, 80n]);
    expect((await ledger('acc_p')).map((r) => [r.request_id, r.balance_after])).toEqual([
      ['req_acc_p_1', 90n],
      ['req_acc_p_2', 80n],
    ]);
    await b.close();
    expect(b.batchesInFlight).toBe(0);
  });

  it('with depth 1 the second account waits behind the first (one batch in flight)', async () => {
    await account('acc_s1', 100n);
    await account('acc_s2', 100n);
    const b = new DebitBatcher(pool, undefined, undefined, 1);
    const lock = await lockAccount('acc_s1');
    const first = b.debit(req('acc_s1', 10n, 1));
    await until(async () => (await waitingBatches()) === 1, 'the acc_s1 batch to block');
    let secondDone = false;
    const second = b.debit(req('acc_s2', 10n, 1)).finally(() => (secondDone = true));
    await new Promise((r) => setTimeout(r, 300));
    expect(secondDone).toBe(false);
    expect(b.batchesInFlight).toBe(1);
    await lock.release();
    expect(await Promise.all([first, second])).toEqual([90n, 90n]);
  });

  it('under concurrency each account admits exactly its earliest debits, in arrival order, with consistent balances', async () => {
    const accounts = ['acc_c1', 'acc_c2', 'acc_c3', 'acc_c4', 'acc_c5'];
    // 20 debits of 5 fit in 100 per account; 40 arrive per account, interleaved across accounts and ticks.
    for (const a of accounts) await account(a, 100n);
    const b = new DebitBatcher(pool, undefined, undefined, 4);
    const calls: { a: string; n: number; p: Promise<bigint | null> }[] = [];
    let maxInFlight = 0;
    for (let n = 0; n < 40; n++) {
      for (const a of accounts) calls.push({ a, n, p: b.debit(req(a, 5n, n)) });
      maxInFlight = Math.max(maxInFlight, b.batchesInFlight);
      if (n % 3 === 2) await tick();
    }
    await Promise.all(calls.map((c) => c.p));
    // Five accounts, debits arriving while batches commit: more than one batch was in flight at once.
    expect(maxInFlight).toBeGreaterThan(1);
    for (const a of accounts) {
      const mine = calls.filter((c) => c.a === a);
      const results = await Promise.all(mine.map((c) => c.p));
      expect(results).toEqual([...Array.from({ length: 20 }, (_, i) => BigInt(95 - 5 * i)), ...Array(20).fill(null)]);
      const rows = await ledger(a);
      expect(rows.map((r) => r.request_id)).toEqual(Array.from({ length: 20 }, (_, i) => `req_${a}_${i}`));
      expect(rows.map((r) => r.balance_after)).toEqual(Array.from({ length: 20 }, (_, i) => BigInt(95 - 5 * i)));
      const [{ balance }] = await db.sql<{ balance: bigint }[]>`select balance from accounts where account_id = ${a}`;
      expect(balance).toBe(0n);
    }
    await b.close();
  });

  it("a failed batch's one-by-one retries come before the account's later debits; close() waits for all of them", async () => {
    await account('acc_f', 100n);
    await account('acc_g', 100n);
    const b = new DebitBatcher(pool, undefined, undefined, 3);
    const lock = await lockAccount('acc_f');
    // The first acc_f debit leaves alone and blocks; the next three form one batch behind it, and one of them
    // names a client that does not exist, so that batch fails and is retried one by one.
    const f0 = b.debit(req('acc_f', 10n, 0));
    await until(async () => (await waitingBatches()) === 1, 'the first acc_f batch to block');
    const f1 = b.debit(req('acc_f', 10n, 1));
    const f2 = b.debit(req('acc_f', 10n, 2, 'no_such_client')).catch((e: Error) => e);
    const f3 = b.debit(req('acc_f', 10n, 3));
    const g1 = b.debit(req('acc_g', 10n, 1));
    expect(await g1).toBe(90n);
    await lock.release();
    // f1 is answered by the first retry, while f2 and f3 still wait for theirs: more acc_f debits arriving now
    // must land after them.
    expect(await f1).toBe(80n);
    const f4 = b.debit(req('acc_f', 10n, 4));
    const f5 = b.debit(req('acc_f', 10n, 5));
    let settled = 0;
    for (const f of [f0, f1, f2, f3, f4, f5]) void f.finally(() => settled++);
    await b.close();
    // close() returned only once every debit handed in had its answer.
    expect(settled).toBe(6);
    expect(await Promise.all([f0, f1, f3, f4, f5])).toEqual([90n, 80n, 70n, 60n, 50n]);
    expect(await f2).toBeInstanceOf(Error);
    expect((await ledger('acc_f')).map((r) => r.request_id)).toEqual([
      'req_acc_f_0',
      'req_acc_f_1',
      'req_acc_f_3',
      'req_acc_f_4',
      'req_acc_f_5',
    ]);
  });
});
