// N API nodes of one deployment, for the tests of what must hold across nodes: one database, one set of secrets
// (admin token, JWT, image URL, mark and webhook keys), and for in-process nodes one Redis key prefix (when
// REDIS_URL is set); each node has a DATA_DIR of its own, as separate machines would.
//
//   const d = await startNodes(2, { env: FAST });               // d.nodes: [a, b] (TestApp), in this process
//   const c = await d.add({ AUTH_CLIENT_CACHE_MS: '5000' });    // one more node, configured differently
//   const p = await d.spawn();                                  // node 0's configuration as an `npm start` process
//   const m = await startNodes(2, { env, processes: { workers: 2 } }); // m.nodes: NodeProcess, WORKERS=2 each
//   await d.close();                                            // every node, in reverse order; then the database
//
// A spawned process runs with node 0's environment, DATA_DIR included (so it serves the images node 0 ingested
// into its file blob store), under Redis's default key prefix, not the in-process nodes' one.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startTestApp, type TestApp, testEnv } from './app.ts';
import { createTestDatabase, type TestDatabase } from './db.ts';
import { testSecrets } from './secrets.ts';
import { type NodeProcess, startServerProcess } from './server-process.ts';

export interface NodesOptions {
  /** Environment of every node, over the test defaults and the deployment's secrets. */
  env?: Record<string, string>;
  /** The database (default: a fresh one, dropped by close()). */
  db?: TestDatabase;
}

export interface ProcessNodesOptions extends NodesOptions {
  /** Start the nodes as separate `src/main/main.ts` processes (in parallel), each with WORKERS=workers. */
  processes: { workers?: number; readyTimeoutMs?: number };
}

interface AddOptions {
  redisPrefix?: string;
  dataDir?: string;
}

export interface Deployment<Node> {
  nodes: Node[];
  db: TestDatabase;
  /** What every node was given over the test defaults: the shared secrets and `env`. */
  env: Record<string, string>;
  /** The in-process nodes' Redis key prefix. */
  redisPrefix: string;
  /**
   * Starts one more in-process node of this deployment; `env` on top of the shared one. `dataDir`: another
   * node's DATA_DIR, to share its file blob store; `redisPrefix`: a Redis of its own, in effect.
   */
  add(env?: Record<string, string>, opts?: AddOptions): Promise<TestApp>;
  /** Starts node 0's configuration (plus `env`) as a separate `npm start` process. */
  spawn(env?: Record<string, string>): Promise<NodeProcess>;
  /** Stops every node (spawned, added, started) in reverse order, then drops the database if it made it. */
  close(): Promise<void>;
}

export function startNodes(n: number, opts?: NodesOptions): Promise<Deployment<TestApp>>;
export function startNodes(n: number, opts: ProcessNodesOptions): Promise<Deployment<NodeProcess>>;
export async function startNodes(
  n: number,
  opts: NodesOptions | ProcessNodesOptions = {},
): Promise<Deployment<TestApp> | Deployment<NodeProcess>> {
  const db = opts.db ?? (await createTestDatabase());
  const env = { ...testSecrets(), ...opts.env };
  const redisPrefix = `kc-test:${randomBytes(6).toString('hex')}:`;
  const stops: (() => Promise<unknown>)[] = [];
  const dirs: string[] = [];
  let node0Env: Record<string, string> | undefined;

  const close = async () => {
    for (const stop of stops.splice(0).reverse()) await stop();
    if (!opts.db) await db.drop();
    for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
  };

  const add = async (extra: Record<string, string> = {}, o: AddOptions = {}) => {
    const app = await startTestApp({
      db,
      redisPrefix: o.redisPrefix ?? redisPrefix,
      dataDir: o.dataDir,
      env: { ...env, ...extra },
    });
    let closing: Promise<void> | undefined;
    const closeOnce = app.close;
    app.close = () => (closing ??= closeOnce());
    stops.push(() => app.close());
    node0Env ??= app.env;
    return app;
  };

  const process_ = async (nodeEnv: Record<string, string>, workers?: number, readyTimeoutMs?: number) => {
    const p = await startServerProcess({ env: nodeEnv, workers, readyTimeoutMs, telemetry: true });
    stops.push(() => p.stop());
    return p;
  };

  const spawn = (extra: Record<string, string> = {}) => {
    if (!node0Env) throw new Error('startNodes: spawn() needs a node 0 to copy');
    return process_({ ...node0Env, ...extra });
  };

  try {
    if ('processes' in opts) {
      const { workers, readyTimeoutMs } = opts.processes;
      const envs = await Promise.all(
        Array.from({ length: n }, async () => {
          const dataDir = await mkdtemp(path.join(os.tmpdir(), 'kc-test-node-'));
          dirs.push(dataDir);
          return testEnv({ databaseUrl: db.url, dataDir, env });
        }),
      );
      node0Env = envs[0];
      const nodes = await Promise.all(envs.map((e) => process_(e, workers, readyTimeoutMs)));
      return { nodes, db, env, redisPrefix, add, spawn, close };
    }
    const nodes: TestApp[] = [];
    for (let i = 0; i < n; i++) nodes.push(await add());
    return { nodes, db, env, redisPrefix, add, spawn, close };
  } catch (e) {
    await close();
    throw e;
  }
}
