// The zero-config default (no DATABASE_URL): the server and every CLI share one embedded PostgreSQL under DATA_DIR.
// A server child process runs while CLI child processes create accounts and clients, grant credits, migrate and
// seed; a second server on the same port fails with its reason; the last user stops the database.

import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type ServerProcess, spawnServer } from '../helpers/app.ts';
import { cliJson, repoRoot, runNpm } from '../helpers/cli.ts';
import { call } from '../helpers/http.ts';
import { exchangeKey } from '../helpers/testkit.ts';

let dataDir = '';
let server: ServerProcess | null = null;

afterAll(async () => {
  await server?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('CLIs beside a running server on the embedded database', () => {
  it('share one PostgreSQL: every CLI succeeds while the server runs; the last user stops it', async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'kc-ops-embedded-'));
    // No DATABASE_URL, no REDIS_URL, no keys: what a new operator has on a fresh clone.
    const env = { DATA_DIR: dataDir, NODE_ENV: 'development', DEMO_PRODUCTS: '0', LOG_LEVEL: 'warn' };
    server = await spawnServer(env);

    const conn = path.join(dataDir, 'embedded-postgres.json');
    expect((await stat(conn)).mode & 0o777).toBe(0o600);
    const { port } = JSON.parse(await readFile(conn, 'utf8'));
    expect(port).toBeGreaterThan(0);
    // The PostgreSQL server does not inherit the API's environment (its keys would be readable from /proc by the
    // postgres OS user): DATA_DIR, set for the API only, is not in the postmaster's.
    const postmasterPid = Number((await readFile(path.join(dataDir, 'pg', 'postmaster.pid'), 'utf8')).split('\n')[0]);
    const postmasterEnv = (await readFile(`/proc/${postmasterPid}/environ`, 'utf8')).split('\0');
    expect(postmasterEnv.some((v) => v.startsWith('DATA_DIR='))).toBe(false);

    // Three rounds of CLIs (each round in parallel: they also start together against the one instance).
    const admin = (...args: string[]) => runNpm(['admin', '--', ...args], env);
    const secondServer = () =>
      new Promise<{ code: number | null; stderr: string }>((resolve) => {
        const child = spawn(process.execPath, ['--import', 'tsx', 'src/main/main.ts'], {
          cwd: repoRoot,
          env: { PATH: process.env.PATH ?? '', ...env, PORT: new URL(server!.url).port },
          stdio: ['ignore', 'ignore', 'pipe'],
        });
        let stderr = '';
        child.stderr.on('data', (d) => (stderr += d));
        child.once('close', (code) => resolve({ code, stderr }));
      });
    const [created, migrated, seeded] = await Promise.all([
      admin('create-account', '--name', 'Ops test', '--credits', '5'),
      runNpm(['migrate'], env),
      runNpm(['seed', '--', '--products', '20'], env),
    ]);
    const account = cliJson(created);
    expect(account.credits_remaining).toBe(5);
    expect(migrated).toMatchObject({ code: 0, stdout: 'schema is up to date\n' });
    expect(seeded.stderr).not.toMatch(/failed|undefined/);
    expect(seeded.code).toBe(0);
    expect(seeded.stdout).toMatch(/^seeded 20 products/);

    const [clientRun, grantRun] = await Promise.all([
      admin('create-client', '--account', account.account_id, '--name', 'ops', '--tier', 'standard'),
      admin(
        'grant-credits',
        '--account',
        account.account_id,
        '--amount',
        '7',
        '--reason',
        'ops test',
        '--idempotency-key',
        `ops-test-grant-${Date.now()}-0001`,
      ),
    ]);
    const client = cliJson(clientRun);
    expect(client.api_key).toEqual(expect.any(String));
    expect(cliJson(grantRun).credits_remaining).toBe(12);

    // A second server on the same port fails with one line on stderr that says why (exit 1), beside a CLI.
    const [listed, second] = await Promise.all([
      admin('list-clients', '--account', account.account_id),
      secondServer(),
    ]);
    expect(cliJson(listed).map((c: { client_id: string }) => c.client_id)).toEqual([client.client_id]);
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(/start-up failed: .*EADDRINUSE.*another instance on this port/);
    expect(second.stderr).not.toContain('undefined');

    // The server sees what the CLIs wrote (same database), and its database is still up after they exited.
    const tokens = await exchangeKey(server.url, client.client_id, client.api_key);
    const me = await call(server.url, '/api/v1/account', { token: tokens.accessToken });
    expect(me.status).toBe(200);
    expect(me.body.account.credits_remaining).toBe(12);
    expect((await call(server.url, '/api/v1/health')).body.checks.database).toBe('ok');

    // The server was the last user: stopping it stops PostgreSQL.
    await server.stop();
    server = null;
    expect(existsSync(path.join(dataDir, 'pg', 'postmaster.pid'))).toBe(false);
  }, 60_000);
});
