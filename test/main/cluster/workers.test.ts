// WORKERS=2 (docs/operations.md#worker-processes): one port served by two processes, a killed worker replaced
// while the other keeps serving, /metrics summed over the node, a graceful stop of every process; and the refusal
// to run several processes on the in-process shared state.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import net from 'node:net';
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createTestDatabase, type TestDatabase } from '../../helpers/db.ts';
import { testSecrets } from '../../helpers/app.ts';
import { spawnNode, startServerProcess, type LogLine, type NodeProcess } from '../../helpers/server-process.ts';

/** One request on a connection of its own: the cluster hands each new connection to the next worker. */
function getFresh(url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get(
      url,
      { agent: false, timeout: 15_000, headers: { connection: 'close', ...headers } },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c) => {
          body += c;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer from ${url} within 15 s`)));
    req.on('error', reject);
  });
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

const healthLines = (node: NodeProcess) =>
  node.lines.filter((l) => l.msg === 'request' && l.url === '/api/v1/health' && l.status === 200);

describe('WORKERS=2 on one port', () => {
  let db: TestDatabase;
  let dataDir: string;
  let node: NodeProcess;
  let env: Record<string, string>;
  let primaryPid: number;
  let healthAsked = 0;

  /** Health requests on fresh connections until every pid in `want` has answered one (bounded). */
  async function answeredBy(want: number[]): Promise<Set<number>> {
    const seen = new Set<number>();
    for (let i = 0; i < 40 && !want.every((p) => seen.has(p)); i++) {
      const before = healthLines(node).length;
      const r = await getFresh(`${node.url}/api/v1/health`);
      healthAsked++;
      expect(r.status).toBe(200);
      // The request line is written when the response finishes; wait for it (bounded) to see who answered.
      const line = await node.waitForLog(() => healthLines(node).length > before, 10_000);
      void line;
      seen.add(healthLines(node)[before].pid as number);
    }
    return seen;
  }

  beforeAll(async () => {
    db = await createTestDatabase();
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'kc-workers-'));
    env = {
      ...testSecrets(),
      NODE_ENV: 'test',
      HOST: '127.0.0.1',
      DATABASE_URL: db.url,
      DATABASE_POOL_SIZE: '4',
      REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
      DATA_DIR: dataDir,
      DEMO_PRODUCTS: '0',
      ADMIN_PORT: '0',
      // Other test files' servers share the machine's Redis and 127.0.0.1: never run into their per-IP budget.
      RATE_LIMIT_IP_PER_MINUTE: '1000000',
      SHUTDOWN_GRACE_MS: '3000',
    };
    node = await startServerProcess({ env, workers: 2 });
    primaryPid = node.child.pid!;
  });

  afterAll(async () => {
    await node?.stop(10_000);
    await db?.drop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('two worker processes, not the primary, answer on the one port; each log line names its worker', async () => {
    expect(node.workerPids).toHaveLength(2);
    expect(new Set(node.workerPids).size).toBe(2);
    expect(node.workerPids).not.toContain(primaryPid);
    const seen = await answeredBy(node.workerPids);
    expect([...seen].sort()).toEqual([...node.workerPids].sort());
    const listening = node.lines.filter((l) => l.msg === 'listening');
    expect(listening.map((l) => l.url)).toEqual([node.url, node.url]);
    expect(new Set(listening.map((l) => l.worker))).toEqual(new Set([1, 2]));
    expect(node.lines.find((l) => l.msg === 'workers ready')).toMatchObject({ worker: 0, pid: primaryPid });
    for (const l of node.lines) expect(typeof l.worker).toBe('number');
  });

  it('/metrics on the admin port counts the requests of every worker', async () => {
    const r = await getFresh(`${node.adminUrl}/admin/v1/metrics`, { authorization: `Bearer ${env.ADMIN_TOKEN}` });
    expect(r.status).toBe(200);
    const m = /kc_http_requests_total\{method="GET",route="\/api\/v1\/health",status="200"\} (\d+)/.exec(r.body);
    expect(Number(m?.[1])).toBe(healthAsked);
  });

  it('a worker killed with SIGKILL is replaced, and requests are served meanwhile', async () => {
    const [victim, survivor] = node.workerPids;
    process.kill(victim, 'SIGKILL');
    const died = await node.waitForLog((l) => l.msg === 'worker died; replacing it', 10_000);
    expect(died).toMatchObject({ worker_pid: victim, reason: 'killed by SIGKILL' });
    // Once the primary knows (the line above), the survivor takes every new connection while the replacement
    // starts. (A connection handed out in the instant before, to the dead worker, is lost: node:cluster.)
    for (let i = 0; i < 3; i++) expect((await getFresh(`${node.url}/api/v1/health`)).status).toBe(200);
    healthAsked += 3;
    const replaced: LogLine = await node.waitForLog((l) => l.msg === 'worker replaced', 60_000);
    const fresh = replaced.worker_pid as number;
    expect([victim, survivor]).not.toContain(fresh);
    expect(alive(fresh)).toBe(true);
    expect(alive(victim)).toBe(false);
    const seen = await answeredBy([survivor, fresh]);
    expect(seen).toEqual(new Set([survivor, fresh]));
    node.workerPids.splice(0, 2, survivor, fresh);
  }, 120_000);

  it('SIGTERM stops the primary and every worker, cleanly', async () => {
    const pids = [...node.workerPids];
    const { code, signal } = await node.stop(30_000);
    expect({ code, signal }).toEqual({ code: 0, signal: null });
    for (const pid of [...pids, primaryPid]) expect(alive(pid)).toBe(false);
    expect(node.lines.filter((l) => l.msg === 'stopped').map((l) => l.pid)).toEqual(
      expect.arrayContaining([...pids, primaryPid]),
    );
  });
});

describe.concurrent('WORKERS=2 that cannot serve', () => {
  /** Runs the node to its exit (bounded) and returns the exit code and stderr's lines. */
  async function runToExit(
    env: Record<string, string>,
  ): Promise<{ code: number | null; stderr: string[]; pids: Set<number> }> {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'kc-workers-'));
    try {
      const p = spawnNode({ env: { ...testSecrets(), DATA_DIR: dataDir, ...env }, workers: 2 });
      const t = setTimeout(() => p.child.kill('SIGKILL'), 60_000);
      const { code } = await p.exited;
      clearTimeout(t);
      const pids = new Set(p.lines.map((l) => l.pid as number));
      return { code, stderr: p.stderr().trim().split('\n'), pids };
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  }

  it('without REDIS_URL refuses to start: the in-process shared state cannot be shared between processes', async () => {
    const r = await runToExit({ NODE_ENV: 'development' });
    expect(r.code).toBe(1);
    expect(r.stderr).toHaveLength(1);
    expect(r.stderr[0]).toMatch(/^start-up failed: WORKERS=2 needs REDIS_URL/);
  });

  it('on a port in use exits 1 with the reason on one line, and leaves no worker behind', async () => {
    const db = await createTestDatabase();
    const taken = net.createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    try {
      const r = await runToExit({
        NODE_ENV: 'test',
        HOST: '127.0.0.1',
        PORT: String((taken.address() as net.AddressInfo).port),
        DATABASE_URL: db.url,
        REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
        DEMO_PRODUCTS: '0',
      });
      expect(r.code).toBe(1);
      expect(r.stderr).toHaveLength(1);
      expect(r.stderr[0]).toMatch(
        /^start-up failed: worker \d+ could not start: .*EADDRINUSE.*another instance on this port/,
      );
      // The primary and the worker that failed logged (the other may be stopped before it logs); none is left.
      expect(r.pids.size).toBeGreaterThanOrEqual(2);
      for (const pid of r.pids) expect(alive(pid)).toBe(false);
    } finally {
      taken.close();
      await db.drop();
    }
  });

  it('a crash loop is bounded: after too many restarts in a minute the node stops with the reason', async () => {
    const db = await createTestDatabase();
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'kc-workers-'));
    const node = await startServerProcess({
      workers: 2,
      env: {
        ...testSecrets(),
        NODE_ENV: 'test',
        HOST: '127.0.0.1',
        DATABASE_URL: db.url,
        REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
        DATA_DIR: dataDir,
        DEMO_PRODUCTS: '0',
      },
    });
    try {
      // Kill every worker as soon as it appears (bounded: the node must give up long before 60 s).
      const primary = node.child.pid!;
      const until = Date.now() + 60_000;
      let kills = 0;
      while (node.child.exitCode === null && Date.now() < until) {
        const ps = spawnSync('ps', ['-o', 'pid=,args=', '--ppid', String(primary)]).stdout.toString();
        for (const m of ps.matchAll(/^\s*(\d+)\s+.*src\/main\/main\.ts/gm)) {
          try {
            process.kill(Number(m[1]), 'SIGKILL');
            kills++;
          } catch {
            /* gone already */
          }
        }
        await new Promise((r) => setTimeout(r, 100));
      }
      const { code } = await node.exited;
      expect(code).toBe(1);
      expect(kills).toBeGreaterThanOrEqual(6); // restartCap(2) = 5 restarts allowed in a minute
      expect(node.stderr().trim().split('\n').at(-1)).toMatch(
        /^workers keep crashing: 6 worker deaths within 60 s; last: killed by SIGKILL$/,
      );
      expect(node.lines.filter((l) => l.msg === 'worker died; replacing it').length).toBe(5);
    } finally {
      await node.stop(10_000);
      await db.drop();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
