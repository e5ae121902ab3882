// `npm start`'s first-run story, as an operator sees it: a development start on an empty database seeds the demo
// catalog with progress in the (JSON) log and shows the demo client's key once, in a banner on stderr; a restart
// names the demo client and the command for a fresh key, which works. A production start seeds nothing and
// prints no key.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testSecrets } from '../helpers/app.ts';
import { cliJson, repoRoot, runNpm } from '../helpers/cli.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { exchangeKey } from '../helpers/testkit.ts';

interface Started {
  child: ChildProcess;
  url: string;
  stdout: string;
  stderr: string;
  stop(): Promise<void>;
}

// One database for both tests (each drop costs a checkpoint on a busy server): the production start runs first
// and must leave it empty, which the development start then needs.
let db: TestDatabase;
const cleanups: (() => Promise<void>)[] = [];
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => {});
  await db?.drop();
});

/** `npm start` as a child process; resolves once the start-up banner (the last thing it prints) is complete. */
function start(env: Record<string, string>): Promise<Started> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main/main.ts'], {
    cwd: repoRoot,
    env: { PATH: process.env.PATH ?? '', PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const s: Started = {
    child,
    url: '',
    stdout: '',
    stderr: '',
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
  cleanups.push(s.stop);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no banner in time:\n${s.stdout}\n${s.stderr}`)), 90_000);
    child.stdout!.on('data', (d) => (s.stdout += d));
    child.stderr!.on('data', (d) => {
      s.stderr += d;
      const m = /Kosher Catalog API: (\S+)[\s\S]*\n\n$/.exec(s.stderr);
      if (m) {
        clearTimeout(timer);
        s.url = m[1];
        resolve(s);
      }
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code}:\n${s.stdout}\n${s.stderr}`)));
  });
}

const logLines = (stdout: string) =>
  stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { msg: string; [k: string]: unknown });

describe('first start', () => {
  it('production on an empty database: no demo catalog, no demo client, no key printed', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'kc-ops-prod-'));
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
    const secrets = testSecrets();
    const prod = await start({ NODE_ENV: 'production', DATABASE_URL: db.url, DATA_DIR: dataDir, ...secrets });
    const [{ products }] = await db.sql<{ products: number }[]>`select count(*)::int as products from products`;
    const [{ accounts }] = await db.sql<{ accounts: number }[]>`select count(*)::int as accounts from accounts`;
    expect({ products, accounts }).toEqual({ products: 0, accounts: 0 });
    const out = prod.stdout + prod.stderr;
    expect(out).not.toMatch(/api_key|Demo|kc_live_/);
    expect(out).not.toContain(secrets.ADMIN_TOKEN);
    expect(logLines(prod.stdout).map((l) => l.msg)).toContain(
      'no REDIS_URL: rate limits, one-shot image URLs and revocations live in this process only; run exactly one ' +
        'process, or set REDIS_URL (docs/operations.md#shared-state)',
    );
    await prod.stop();
  }, 120_000);

  it('development: demo catalog with progress, the key once on stderr, then the command for a fresh one', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'kc-ops-first-'));
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
    const env = { NODE_ENV: 'development', DATABASE_URL: db.url, DATA_DIR: dataDir, DEMO_PRODUCTS: '6' };

    const first = await start(env);
    const log = logLines(first.stdout); // stdout is the log only: every line is JSON (not a TTY)
    const msgs = log.map((l) => l.msg);
    expect(msgs).toContain('seeding the demo catalog (first start only; the API already answers)');
    expect(msgs.indexOf('demo catalog seeded')).toBeGreaterThan(msgs.indexOf('listening'));
    const key = /api_key: {3}(\S+)/.exec(first.stderr)?.[1];
    const clientId = /client_id: (\S+)/.exec(first.stderr)?.[1];
    expect(key).toMatch(/^kc_/);
    expect(first.stdout).not.toContain(key!);
    const [{ n }] = await db.sql<{ n: number }[]>`select count(*)::int as n from products`;
    expect(n).toBe(6);
    await first.stop();

    const second = await start(env);
    expect(second.stderr).toContain(`Demo API client: ${clientId} (account acct_`);
    expect(second.stderr).toContain('100 credits left');
    expect(second.stderr).toContain('npm run admin -- demo-key');
    expect(second.stderr).not.toMatch(/api_key: /);
    expect(logLines(second.stdout).map((l) => l.msg)).not.toContain('demo catalog seeded');

    const fresh = cliJson(await runNpm(['admin', '--', 'demo-key'], env));
    expect(fresh.client_id).toBe(clientId);
    expect(fresh.api_key).not.toBe(key);
    await exchangeKey(second.url, clientId!, fresh.api_key);
    await second.stop();
    // Two starts through tsx, a stop that lets the sandbox seed finish (src/main/single-process.ts) and an npm
    // CLI run: about 20 s on a quiet machine, over 60 s at a load of 20.
  }, 180_000);
});
