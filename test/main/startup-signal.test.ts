// A stop signal during start-up (docs/operations.md#readiness-and-drain): the handlers exist before the database is
// opened, so SIGTERM while the embedded PostgreSQL starts, or while the demo catalog is seeded, lets that step finish,
// stops what was started and exits 0: no embedded PostgreSQL left running, no half-seeded catalog.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { spawnNode } from '../helpers/server-process.ts';

const dirs: string[] = [];
const dbs: TestDatabase[] = [];
const kills: (() => void)[] = [];
afterAll(async () => {
  for (const k of kills) k();
  for (const db of dbs) await db.drop();
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function dataDir(): Promise<string> {
  const d = await mkdtemp(path.join(os.tmpdir(), 'kc-startup-signal-'));
  dirs.push(d);
  return d;
}

describe('a stop signal during start-up', () => {
  it('while the embedded PostgreSQL starts: exit 0, and PostgreSQL is stopped', async () => {
    const dir = await dataDir();
    const node = spawnNode({ env: { DATA_DIR: dir, NODE_ENV: 'development', DEMO_PRODUCTS: '0' } });
    kills.push(() => node.child.kill('SIGKILL'));
    const pidFile = path.join(dir, 'pg', 'postmaster.pid');
    // The first moment the embedded PostgreSQL exists: before that a signal would find nothing to stop. initdb's
    // own short-lived backend writes and removes the same lock file first, so a read may find it gone: poll on.
    const pidNow = () =>
      readFile(pidFile, 'utf8').then(
        (t) => Number(t.split('\n')[0]) || 0,
        () => 0,
      );
    let postmaster = 0;
    for (let i = 0; i < 1200 && node.child.exitCode === null; i++) {
      postmaster = await pidNow();
      if (postmaster > 0) break;
      await sleep(100);
    }
    expect(postmaster).toBeGreaterThan(0);
    node.child.kill('SIGTERM');
    const exit = await Promise.race([node.exited, sleep(90_000).then(() => 'timeout' as const)]);
    expect(exit, node.stderr()).toEqual({ code: 0, signal: null });
    expect(node.stderr()).not.toContain('start-up failed');
    for (let i = 0; i < 100 && alive(postmaster); i++) await sleep(100);
    expect(alive(postmaster)).toBe(false);
    // Whichever PostgreSQL held the lock file then, none holds it now.
    const left = await pidNow();
    expect(left === 0 || !alive(left)).toBe(true);
    expect(node.lines.some((l) => l.msg === 'stopped')).toBe(true);
  }, 180_000);

  it('while the demo catalog is seeded: the seeding finishes, then exit 0', async () => {
    const db = await createTestDatabase();
    dbs.push(db);
    const env = { DATA_DIR: await dataDir(), NODE_ENV: 'development', DATABASE_URL: db.url, DEMO_PRODUCTS: '40' };
    const node = spawnNode({ env });
    kills.push(() => node.child.kill('SIGKILL'));
    await node.waitForLog((l) => typeof l.msg === 'string' && l.msg.startsWith('seeding the demo catalog'), 90_000);
    node.child.kill('SIGTERM');
    const exit = await Promise.race([node.exited, sleep(90_000).then(() => 'timeout' as const)]);
    expect(exit, node.stderr()).toEqual({ code: 0, signal: null });
    const [{ n }] = await db.sql<{ n: number }[]>`select count(*)::int as n from products`;
    expect(n).toBe(40);
    expect(node.lines.some((l) => l.msg === 'signal during start-up: stopping once the step in progress is done')).toBe(
      true,
    );
  }, 180_000);
});
