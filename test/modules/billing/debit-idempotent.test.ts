// debit_batch under faults (docs/billing.md#idempotency-keys): a request id is debited at most once (a debit
// resent after a lost acknowledgement is not applied twice); a debit bound to an Idempotency-Key marks the key
// charged in its own transaction, and is refused (nothing debited) when another attempt holds the key.

import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DebitBatcher } from '../../../src/modules/billing/debit-batcher.ts';
import type { DebitRequest } from '../../../src/modules/billing/ledger.repository.ts';
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
const balanceOf = async (id: string) =>
  (await db.sql<{ balance: bigint }[]>`select balance from accounts where account_id = ${id}`)[0].balance;
const debitRows = async (id: string) =>
  db.sql<{ request_id: string; amount: bigint }[]>`
    select request_id, amount from credit_ledger where account_id = ${id} and kind = 'debit' order by entry_id`;
const req = (accountId: string, cost: bigint, requestId: string): DebitRequest => ({
  accountId,
  clientId: null as unknown as string,
  requestId,
  cost,
  lines: [{ action: 'products.get', units: 1, rate: Number(cost), amount: Number(cost) }],
});
async function pendingKey(key: string, owner: string) {
  await db.sql`insert into idempotency_records
      (client_id, scope, idem_key, request_hash, status, body, lease_owner, lease_until)
    values ('cl_t', 'bulk-check', ${key}, ${'0'.repeat(64)}, 0, '{}', ${owner}, now() + interval '10 seconds')`;
}

describe('debit_batch is idempotent per request id', () => {
  it('the same request id sent again (one after the other, or together) is debited once', async () => {
    await account('acc_rid', 100n);
    const b = new DebitBatcher(db.sql);
    expect(await b.debit(req('acc_rid', 7n, 'req_same'))).toBe(93n);
    expect(await b.debit(req('acc_rid', 7n, 'req_same'))).toBe(93n);
    const together = await Promise.all([1, 2, 3].map(() => b.debit(req('acc_rid', 5n, 'req_twice'))));
    expect(together).toEqual([88n, 88n, 88n]);
    expect(await balanceOf('acc_rid')).toBe(88n);
    expect((await debitRows('acc_rid')).map((r) => [r.request_id, r.amount])).toEqual([
      ['req_same', -7n],
      ['req_twice', -5n],
    ]);
  });

  it('a debit whose PostgreSQL backend is terminated mid-statement charges nothing', async () => {
    await account('acc_kill', 100n);
    const b = new DebitBatcher(db.sql);
    const lock = await db.sql.reserve();
    try {
      await lock`begin`;
      await lock`select 1 from accounts where account_id = 'acc_kill' for update`;
      const pending = b.debit(req('acc_kill', 9n, 'req_killed')).then(
        (v) => ({ ok: true, v }),
        (e) => ({ ok: false, v: e }),
      );
      let pid: number | null = null;
      for (let i = 0; i < 200 && pid === null; i++) {
        const rows = await db.sql<{ pid: number }[]>`select pid from pg_stat_activity
          where datname = current_database() and wait_event_type = 'Lock' and query like '%debitBatch%'`;
        pid = rows[0]?.pid ?? null;
        if (pid === null) await sleep(20);
      }
      expect(pid).not.toBeNull();
      await db.sql`select pg_terminate_backend(${pid})`;
      await lock`rollback`;
      const r = await pending;
      expect(r.ok).toBe(false);
    } finally {
      lock.release();
    }
    expect(await balanceOf('acc_kill')).toBe(100n);
    expect(await debitRows('acc_kill')).toHaveLength(0);
    // Sent again (a retry on a fresh connection), it is applied exactly once.
    expect(await b.debit(req('acc_kill', 9n, 'req_killed'))).toBe(91n);
    expect(await debitRows('acc_kill')).toHaveLength(1);
  });
});

describe('a debit bound to an Idempotency-Key', () => {
  it('marks the key charged with the request id and lines in the same transaction', async () => {
    await account('acc_key', 100n);
    await pendingKey('key-charged-000000000001', 'req_owner');
    const b = new DebitBatcher(db.sql);
    const idem = { clientId: 'cl_t', scope: 'bulk-check', key: 'key-charged-000000000001', owner: 'req_owner' };
    expect(await b.debit({ ...req('acc_key', 4n, 'req_owner'), idempotency: idem })).toBe(96n);
    const [k] = await db.sql<
      { request_id: string; charged: boolean; charge: { cost: string; balance: string; lines: unknown[] } }[]
    >`
      select request_id, charged_at is not null as charged, charge from idempotency_records
      where idem_key = ${idem.key}`;
    expect(k).toMatchObject({ request_id: 'req_owner', charged: true, charge: { cost: '4', balance: '96' } });
    expect(k.charge.lines).toEqual(req('acc_key', 4n, 'x').lines);
    // Another attempt (even by the same owner under a new request id) cannot charge the key again.
    await expect(b.debit({ ...req('acc_key', 4n, 'req_other'), idempotency: idem })).rejects.toMatchObject({
      code: 'conflict',
    });
    expect(await balanceOf('acc_key')).toBe(96n);
  });

  it('is refused, with nothing debited, when another attempt holds the key (or it is gone)', async () => {
    await account('acc_lost', 100n);
    await pendingKey('key-lost-00000000000001', 'req_new_owner');
    const b = new DebitBatcher(db.sql);
    const stale = { clientId: 'cl_t', scope: 'bulk-check', key: 'key-lost-00000000000001', owner: 'req_old_owner' };
    const gone = { ...stale, key: 'key-gone-00000000000001' };
    const results = await Promise.allSettled([
      b.debit({ ...req('acc_lost', 3n, 'req_old_owner'), idempotency: stale }),
      b.debit({ ...req('acc_lost', 3n, 'req_gone'), idempotency: gone }),
      b.debit(req('acc_lost', 2n, 'req_plain')),
    ]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'fulfilled']);
    expect(await balanceOf('acc_lost')).toBe(98n);
    expect((await debitRows('acc_lost')).map((r) => r.request_id)).toEqual(['req_plain']);
  });
});
