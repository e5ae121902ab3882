// Starts the real service for a test file: its own database (test/helpers/db.ts), Redis under a unique key
// prefix when REDIS_URL is set (else the in-process store), a temp DATA_DIR, an HTTP port on 127.0.0.1.
// Several nodes of one deployment: startNodes (test/helpers/nodes.ts).
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createLogger } from '../../src/kernel/logger.ts';
import { type Service, startService } from '../../src/main/bootstrap.ts';
import { type Config, loadConfig } from '../../src/main/config.ts';
import type { Module } from '../../src/platform/module.ts';
import { createTestDatabase, type TestDatabase } from './db.ts';
import { testSecrets } from './secrets.ts';
import { type NodeProcess, startServerProcess } from './server-process.ts';

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

/**
 * The environment of a test node: test mode on 127.0.0.1 with an OS-chosen port, the given database and
 * DATA_DIR, no demo catalog, Redis when REDIS_URL is set, fresh secrets; then `env` over all of it.
 */
export function testEnv(o: { databaseUrl: string; dataDir: string; env?: Record<string, string> }) {
  return {
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    PORT: '0',
    DATABASE_URL: o.databaseUrl,
    DATABASE_POOL_SIZE: '8',
    DATA_DIR: o.dataDir,
    LOG_LEVEL: process.env.KC_TEST_LOG_LEVEL ?? 'silent',
    DEMO_PRODUCTS: '0',
    // Webhook receivers of tests listen on 127.0.0.1 (test/helpers/webhook-receiver.ts); off unless set explicitly.
    WEBHOOKS_ALLOW_LOCAL: '1',
    ...(process.env.REDIS_URL ? { REDIS_URL: process.env.REDIS_URL } : {}),
    ...testSecrets(),
    ...o.env,
  } as Record<string, string>;
}

export interface StartOptions {
  db?: TestDatabase;
  redisPrefix?: string;
  env?: Record<string, string>;
  dataDir?: string;
  /** The service's logger (default: one at LOG_LEVEL); a test reads log lines through its own. */
  log?: import('pino').Logger;
  /** Modules of the test's own composed after the application's (a route only the test serves). */
  modules?: Module[];
}

export async function startTestApp(opts: StartOptions = {}): Promise<TestApp> {
  const ownDb = !opts.db;
  const db = opts.db ?? (await createTestDatabase());
  const dataDir = opts.dataDir ?? (await mkdtemp(path.join(os.tmpdir(), 'kc-test-data-')));
  const redisPrefix = opts.redisPrefix ?? `kc-test:${randomBytes(6).toString('hex')}:`;
  const env = testEnv({ databaseUrl: db.url, dataDir, env: opts.env });
  const config = loadConfig(env);
  const service = await startService(config, opts.log ?? createLogger(config.log.level), {
    redisPrefix,
    modules: opts.modules,
  });
  return {
    url: service.url,
    db,
    service,
    config,
    adminToken: config.admin.token,
    redisPrefix,
    env,
    async close() {
      await service.stop();
      if (ownDb) await db.drop();
      if (!opts.dataDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export type ServerProcess = NodeProcess;

/**
 * Runs the service as a separate OS process with exactly this environment, the way `npm start` does (the
 * OpenTelemetry preload included): `src/main/main.ts`, WORKERS=1, logging at info. Resolves once it listens.
 */
export function spawnServer(env: Record<string, string>): Promise<ServerProcess> {
  return startServerProcess({ env, telemetry: true });
}
