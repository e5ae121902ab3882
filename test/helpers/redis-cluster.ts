// A 3-master Redis Cluster of a test's own, from the machine's redis-server and redis-cli: no replicas, no
// persistence, 127.0.0.1 only, on ports whose cluster bus ports (port + 10000) are free too. Started once per
// test file (beforeAll); `stop()` ends the three processes and removes their nodes.conf files.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';

const run = promisify(execFile);

export interface OwnRedisCluster {
  /** REDIS_URL in its cluster form. */
  url: string;
  ports: number[];
  /** A plain connection to one node (closed by stop()). */
  node(port: number): Redis;
  /** The port of the master serving `key`'s slot. */
  masterOf(key: string): Promise<number>;
  /**
   * SIGKILL one node and start it again with the same nodes.conf: it keeps its slots and its place in the
   * cluster, and comes back empty (no persistence), as a master without AOF/RDB after a crash.
   */
  restart(port: number): Promise<void>;
  stop(): Promise<void>;
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

/** A port below 55535 whose bus port (+10000) is free as well; random, so parallel files rarely collide. */
async function freeClusterPort(taken: Set<number>): Promise<number> {
  for (let i = 0; i < 200; i++) {
    const p = 20_000 + Math.floor(Math.random() * 35_000);
    if (taken.has(p) || taken.has(p + 10_000) || taken.has(p - 10_000)) continue;
    if ((await portFree(p)) && (await portFree(p + 10_000))) return p;
  }
  throw new Error('no free port pair for a Redis Cluster node');
}

async function until(what: string, ok: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    if (await ok().catch(() => false)) return;
    if (Date.now() > end) throw new Error(`redis cluster: ${what} not reached in ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function startOwnRedisCluster(): Promise<OwnRedisCluster> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'kc-redis-cluster-'));
  const taken = new Set<number>();
  const ports: number[] = [];
  for (let i = 0; i < 3; i++) {
    const p = await freeClusterPort(taken);
    taken.add(p);
    ports.push(p);
  }
  const children = new Map<number, ChildProcess>();
  const conns = new Map<number, Redis>();
  const node = (port: number) => {
    let c = conns.get(port);
    if (!c) {
      c = new Redis({ host: '127.0.0.1', port, maxRetriesPerRequest: 1, lazyConnect: false });
      c.on('error', () => {});
      conns.set(port, c);
    }
    return c;
  };
  const stop = async () => {
    for (const c of conns.values()) c.disconnect();
    await Promise.all(
      [...children.values()].map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            child.once('exit', () => resolve());
            child.kill('SIGKILL');
          }),
      ),
    );
    await rm(dir, { recursive: true, force: true });
  };
  const launch = async (p: number) => {
    // biome-ignore format: one flag per line pair reads better
    const child = spawn('redis-server', [
      '--port', String(p), '--bind', '127.0.0.1', '--dir', dir,
      '--cluster-enabled', 'yes', '--cluster-config-file', path.join(dir, `nodes-${p}.conf`),
      '--cluster-node-timeout', '5000', '--save', '', '--appendonly', 'no',
    ], { stdio: 'ignore' });
    children.set(p, child);
    await until(`node ${p} answering`, async () => (await node(p).ping()) === 'PONG', 10_000);
  };
  const clusterOk = async () => {
    for (const p of ports)
      await until(
        `cluster_state:ok on ${p}`,
        async () => /cluster_state:ok/.test(String(await node(p).call('CLUSTER', 'INFO'))),
        20_000,
      );
  };
  try {
    for (const p of ports) await launch(p);
    await run(
      'redis-cli',
      ['--cluster', 'create', ...ports.map((p) => `127.0.0.1:${p}`), '--cluster-replicas', '0', '--cluster-yes'],
      { timeout: 30_000 },
    );
    await clusterOk();
  } catch (e) {
    await stop();
    throw e;
  }
  return {
    url: `redis+cluster://${ports.map((p) => `127.0.0.1:${p}`).join(',')}`,
    ports,
    node,
    async masterOf(key) {
      const slot = Number(await node(ports[0]).call('CLUSTER', 'KEYSLOT', key));
      const shards = (await node(ports[0]).call('CLUSTER', 'SLOTS')) as [number, number, [string, number]][];
      const hit = shards.find(([from, to]) => slot >= from && slot <= to);
      if (!hit) throw new Error(`slot ${slot} has no master`);
      return Number(hit[2][1]);
    },
    async restart(port) {
      const child = children.get(port)!;
      await new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGKILL');
      });
      await launch(port);
      await clusterOk();
    },
    stop,
  };
}
