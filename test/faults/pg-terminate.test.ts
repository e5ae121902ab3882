// Every API database connection terminated at once (pg_terminate_backend), then reads: none may fail because a
// pooled connection died (docs/durability.md#the-connection-pool). 30 billed reads 0.1 s, 1 s and 5 s after the
// kill, each batch on a pool whose every connection was open (warmed) and then terminated. A billed read also
// debits: that write is never retried blindly, so the ledger must hold exactly one line per 200.

import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSql, type Sql } from '../../src/platform/db/client.ts';
import { type ServerProcess, spawnServer, testSecrets } from '../helpers/app.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { type SignedInClient, seed } from '../helpers/testkit.ts';

const say = (m: string) => process.stdout.write(`[faults] ${m}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.sequential('faults: every API database connection terminated', () => {
  let db: TestDatabase;
  let check: Sql;
  let api: ServerProcess;
  let dataDir: string;
  let client: SignedInClient;
  let barcodes: string[];

  beforeAll(async () => {
    db = await createTestDatabase();
    check = createSql({ url: db.url, max: 1, appName: 'kc-faults-check' });
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'kc-pg-terminate-'));
    const env = {
      NODE_ENV: 'test',
      HOST: '127.0.0.1',
      DATABASE_URL: db.url,
      DATABASE_POOL_SIZE: '8',
      DATA_DIR: dataDir,
      DEMO_PRODUCTS: '0',
      ...(process.env.REDIS_URL ? { REDIS_URL: process.env.REDIS_URL } : {}),
      ...testSecrets(),
    };
    api = await spawnServer(env);
    const node = { url: api.url, adminToken: env.ADMIN_TOKEN, sql: check };
    barcodes = [];
    for (let i = 0; i < 3; i++) barcodes.push((await seed(node).product()).barcode);
    client = await seed(node).client({
      credits: 100_000,
      tier: 'enterprise',
      limits: { per_minute: 1_000_000, per_day: 10_000_000 },
    });
  }, 180_000);

  afterAll(async () => {
    await api?.stop();
    await check?.end({ timeout: 2 });
    await db?.drop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  /** 30 billed reads at once (every pooled connection busy); their statuses and debits. */
  async function reads(): Promise<{ statuses: number[]; debited: number }> {
    let debited = 0;
    const statuses = await Promise.all(
      Array.from({ length: 30 }, async (_, i) => {
        try {
          // Billed product reads and balance reads (a database read every time) in turn.
          const p =
            i % 2 ? '/api/v1/balance' : `/api/v1/products/${barcodes[i % barcodes.length]}?include=product_meta`;
          const r = await fetch(`${api.url}${p}`, {
            headers: { authorization: `Bearer ${client.accessToken}` },
            signal: AbortSignal.timeout(15_000),
          });
          await r.arrayBuffer();
          if (r.status === 200) debited += Number(r.headers.get('x-credits-debited') ?? 0);
          return r.status;
        } catch {
          return 0;
        }
      }),
    );
    return { statuses, debited };
  }

  async function terminateAll(): Promise<number> {
    const rows = await check`select pg_terminate_backend(pid) from pg_stat_activity
      where datname = ${path.basename(new URL(db.url).pathname)} and application_name like 'kosher-catalog%'
        and pid <> pg_backend_pid()`;
    return rows.length;
  }

  const balance = async () =>
    (await check<{ b: bigint }[]>`select balance as b from accounts where account_id = ${client.accountId}`)[0].b;

  for (const afterMs of [100, 1_000, 5_000]) {
    it(`30 of 30 reads succeed ${afterMs / 1000} s after every API connection is terminated`, async () => {
      // Warm: every connection of the pool open, so each one is a dead one after the kill.
      for (let i = 0; i < 2; i++) expect((await reads()).statuses.every((s) => s === 200)).toBe(true);
      const before = await balance();
      const killed = await terminateAll();
      await sleep(afterMs);
      const { statuses, debited } = await reads();
      const counts: Record<number, number> = {};
      for (const s of statuses) counts[s] = (counts[s] ?? 0) + 1;
      say(`pg terminate: ${killed} backends, reads ${afterMs} ms later: ${JSON.stringify(counts)}`);
      expect(killed).toBeGreaterThan(0);
      expect(counts).toEqual({ 200: 30 });
      // Every 200 debited once; nothing else was charged (no doubled debit).
      const spent = Number(before - (await balance())) / 10_000;
      expect(spent).toBeCloseTo(debited, 4);
    }, 90_000);
  }
});
