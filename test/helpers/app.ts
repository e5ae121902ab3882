// Starts the real service for a test file: its own database (test/helpers/db.ts), Redis under a unique key
// prefix when REDIS_URL is set (else the in-process store), a temp DATA_DIR, an HTTP port on 127.0.0.1.
// `startTestApp({ db, redisPrefix, env })` twice with the same db/prefix gives two nodes of one deployment.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { loadConfig, type Config } from '../../src/main/config.ts';
import { createLogger } from '../../src/kernel/logger.ts';
import { startService, type Service } from '../../src/main/bootstrap.ts';
import { createTestDatabase, type TestDatabase } from './db.ts';
import { testSecrets } from './secrets.ts';
import { repoRoot } from './paths.ts';

export interface TestApp {
  url: string;
  db: TestDatabase;
  service: Service;
  config: Config;
  adminToken: string;
  redisPrefix: string;
  env: Record<string, string>;
  close(): Promise<void>;
}

/** Secrets shared by every node of one test deployment. */
export { testSecrets };

export interface StartOptions {
  db?: TestDatabase;
  redisPrefix?: string;
  env?: Record<string, string>;
  dataDir?: string;
  /** The service's logger (default: one at LOG_LEVEL); a test reads log lines through its own. */
  log?: import('pino').Logger;
}

export async function startTestApp(opts: StartOptions = {}): Promise<TestApp> {
  const ownDb = !opts.db;
  const db = opts.db ?? (await createTestDatabase());
  const dataDir = opts.dataDir ?? (await mkdtemp(path.join(os.tmpdir(), 'kc-test-data-')));
  const redisPrefix = opts.redisPrefix ?? `kc-test:${randomBytes(6).toString('hex')}:`;
  const env: Record<string, string> = {
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    PORT: '0',
    DATABASE_URL: db.url,
    DATABASE_POOL_SIZE: '8',
    DATA_DIR: dataDir,
    LOG_LEVEL: process.env.KC_TEST_LOG_LEVEL ?? 'silent',
    DEMO_PRODUCTS: '0',
    ...(process.env.REDIS_URL ? { REDIS_URL: process.env.REDIS_URL } : {}),
    ...testSecrets(),
    ...opts.env,
  };
  const config = loadConfig(env);
  const service = await startService(config, opts.log ?? createLogger(config.LOG_LEVEL), { redisPrefix });
  return {
    url: service.url,
    db,
    service,
    config,
    adminToken: service.infra.adminToken,
    redisPrefix,
    env,
    async close() {
      await service.stop();
      if (ownDb) await db.drop();
      if (!opts.dataDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** Runs `src/main/main.ts` as a separate OS process with the given environment (a second node), as `npm start` does. */
export async function spawnServer(env: Record<string, string>): Promise<ServerProcess> {
  const args = ['--import', 'tsx', '--import', './src/platform/telemetry/register.ts', 'src/main/main.ts'];
  const child = spawn(process.execPath, args, {
    cwd: repoRoot,
    env: { PATH: process.env.PATH ?? '', ...env, PORT: '0', LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // Nobody reads stderr: drain it so a chatty process never blocks on a full pipe.
  child.stderr?.resume();
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('server process did not start in time')), 30_000);
    const rl = createInterface({ input: child.stdout! });
    rl.on('line', (line) => {
      try {
        const j = JSON.parse(line);
        if (j.msg === 'listening') {
          clearTimeout(timer);
          resolve(j.url);
        }
      } catch {
        /* not a log line */
      }
    });
    child.once('exit', (code) => reject(new Error(`server process exited with ${code}`)));
  });
  return {
    url,
    child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
