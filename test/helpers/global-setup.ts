// Runs once before all test files. Tests talk to real PostgreSQL: DATABASE_URL when set (CI points it at the
// machine's server), else one embedded PostgreSQL started here for the whole run. Each test file then creates
// its own database from it (test/helpers/db.ts), so files run in parallel without sharing rows.
// Redis is used when REDIS_URL is set; it must then be reachable (we fail, never skip).

import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createSql } from '../../src/platform/db/client.ts';
import { type EmbeddedDb, startEmbeddedPostgres } from '../../src/platform/db/embedded.ts';

let embedded: EmbeddedDb | null = null;
let tmpDir: string | null = null;

export async function setup(): Promise<void> {
  if (!process.env.DATABASE_URL) {
    tmpDir = await mkdtemp(path.join(os.tmpdir(), 'kc-test-pg-'));
    embedded = await startEmbeddedPostgres(tmpDir);
    process.env.DATABASE_URL = embedded.url;
    process.env.KC_TEST_EMBEDDED = '1';
  }
  const sql = createSql({ url: process.env.DATABASE_URL!, max: 1 });
  try {
    await sql`select 1`;
  } catch (e) {
    await sql.end();
    throw new Error(`PostgreSQL at DATABASE_URL is unreachable: ${(e as Error).message}`);
  }
  try {
    // Per-file databases of runs that were killed before their teardown (kc_test_<base36 ms>_<hex>): drop the
    // ones older than an hour so a shared server does not fill up over many runs.
    const rows = await sql<{ datname: string }[]>`select datname from pg_database where datname like 'kc\_test\_%'`;
    for (const { datname } of rows) {
      const born = parseInt(datname.split('_')[2] ?? '', 36);
      if (Number.isFinite(born) && Date.now() - born > 3_600_000)
        await sql.unsafe(`drop database if exists "${datname}" with (force)`);
    }
  } finally {
    await sql.end();
  }
  if (process.env.REDIS_URL) {
    const { Redis } = await import('ioredis');
    const r = new Redis(process.env.REDIS_URL, {
      lazyConnect: true,
      maxRetriesPerRequest: 1,
      retryStrategy: () => null,
    });
    try {
      await r.connect();
      await r.ping();
    } catch (e) {
      throw new Error(`Redis at REDIS_URL is unreachable: ${(e as Error).message}`);
    } finally {
      r.disconnect();
    }
  }
}

export async function teardown(): Promise<void> {
  if (embedded) await embedded.stop();
  if (tmpDir) await rm(tmpDir, { recursive: true, force: true });
}
