// The backup/restore drill of docs/operations.md#backup-and-restore-drill, done for real: billed traffic, a
// pg_dump of the live database, pg_restore into a fresh one, and the money checked there: every account's balance
// equals the sum of its ledger rows, and equals the balance the original database holds.
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createSql } from '../../src/platform/db/client.ts';
import { startTestApp } from '../helpers/app.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { call } from '../helpers/http.ts';
import { seed } from '../helpers/testkit.ts';

const cleanups: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => {});
});

/** Runs a PostgreSQL client tool; its stderr in the failure. */
function pgTool(cmd: string, args: string[]): void {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 120_000 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
}

type Money = { account_id: string; balance: bigint; ledger: bigint }[];
const money = (sql: ReturnType<typeof createSql>) => sql<Money>`
  select a.account_id, a.balance, coalesce(sum(l.amount), 0)::bigint as ledger
  from accounts a left join credit_ledger l on l.account_id = a.account_id
  group by a.account_id, a.balance order by a.account_id`;

describe('backup and restore drill', () => {
  it('pg_dump, pg_restore into a fresh database: ledger sums match the balances, as in the original', async () => {
    const db: TestDatabase = await createTestDatabase();
    cleanups.push(() => db.drop());
    const app = await startTestApp({ db });
    let closed = false;
    cleanups.push(() => (closed ? Promise.resolve() : app.close()));
    const barcode = (await seed(app).product({ meta: 'full', imageRows: ['front'] })).barcode;
    const clients = [await seed(app).client({ credits: 5 }), await seed(app).client({ credits: 7 })];
    let billed = 0;
    for (let i = 0; i < 12; i++) {
      const c = clients[i % 2];
      const res = await call(app.url, `/api/v1/products/${barcode}?include=product_meta`, { token: c.accessToken });
      expect(res.status).toBe(200);
      billed++;
    }
    // Stopping the node flushes the batched debits: what a drain does before a backup of a quiet system.
    await app.close();
    closed = true;
    const original = await money(db.sql);
    expect(original.length).toBeGreaterThanOrEqual(2);
    const debits = await db.sql<{ n: number }[]>`select count(*)::int as n from credit_ledger where kind = 'debit'`;
    expect(debits[0].n).toBe(billed);

    const dir = await mkdtemp(path.join(os.tmpdir(), 'kc-backup-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const dump = path.join(dir, 'kc.dump');
    pgTool('pg_dump', ['--format=custom', '--no-owner', `--file=${dump}`, `--dbname=${db.url}`]);

    const base = new URL(db.url);
    const restoredName = `${base.pathname.slice(1)}_restored`;
    const admin = createSql({ url: process.env.DATABASE_URL!, max: 1 });
    await admin.unsafe(`create database ${restoredName}`);
    cleanups.push(async () => {
      await admin.unsafe(`drop database if exists ${restoredName} with (force)`);
      await admin.end();
    });
    const restoredUrl = new URL(db.url);
    restoredUrl.pathname = `/${restoredName}`;
    pgTool('pg_restore', ['--no-owner', '--exit-on-error', `--dbname=${restoredUrl}`, dump]);

    const restored = createSql({ url: restoredUrl.toString(), max: 1 });
    cleanups.push(() => restored.end({ timeout: 2 }));
    const after = await money(restored);
    for (const row of after) expect(row.ledger).toBe(row.balance);
    expect(after).toEqual(original);
  }, 120_000);
});
