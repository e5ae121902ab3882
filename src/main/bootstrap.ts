// Starts the whole service from a Config: database (external or embedded), migrations, shared state, blob
// store, the app, the listening socket. Used by main.ts and by tests that need a real server process. With
// WORKERS > 1 the primary runs the one-time part (prepareDeployment) and each worker startService without it.

import type { Logger } from '../kernel/logger.ts';
import type { BlobStore } from '../platform/blobs/blob-store.ts';
import { openBlobStore } from '../platform/blobs/open-blob-store.ts';
import type { Sql } from '../platform/db/client.ts';
import { openDatabase } from '../platform/db/database.ts';
import { migrate } from '../platform/db/migrate.ts';
import { checkServerSettings } from '../platform/db/server-settings.ts';
import { listen } from '../platform/http/server.ts';
import type { MetricsExposition } from '../platform/metrics/metrics.ts';
import type { Module } from '../platform/module.ts';
import { createSharedState, pgGenerationLedger } from '../platform/shared-state/index.ts';
import { type App, createApp, type Infrastructure } from './app.ts';
import type { Config } from './config.ts';

/** The sandbox catalog of test mode: a small pool whose unqualified product tables are the sandbox schema's. */
const SANDBOX_POOL = { max: 2, searchPath: 'sandbox, public', appName: 'kosher-catalog-sandbox' };

export interface Service {
  url: string;
  port: number;
  /** Where /admin/v1 is served: the private admin listener (ADMIN_PORT), else the public `url`. */
  adminUrl: string;
  infra: Infrastructure;
  app: App;
  embeddedDatabase: boolean;
  /**
   * Drain (/readyz 503 while still serving, SHUTDOWN_DRAIN_MS), stop accepting, finish in-flight requests, flush
   * batched debits and settle webhook claims (the modules' close), close pools, stop the embedded database.
   */
  stop(): Promise<void>;
}

export interface StartOptions {
  redisPrefix?: string;
  /** False in cluster workers: the primary migrated before forking them (prepareDeployment). */
  migrate?: boolean;
  /** A cluster worker's /metrics (src/main/cluster/cluster-metrics.ts); default: this process's registry. */
  metricsExposition?: MetricsExposition;
  /** Modules composed after the application's own (createApp): a test's module of its own routes. */
  modules?: Module[];
}

/** What the primary of WORKERS > 1 holds while its workers serve: the database (and its embedded-instance lease). */
export interface Deployment {
  sql: Sql;
  /** The sandbox catalog's pool (test mode; docs/test-mode.md#the-sandbox-catalog). */
  sandboxSql: Sql;
  blobs: BlobStore;
  embeddedDatabase: boolean;
  close(): Promise<void>;
}

/**
 * The once-per-node part of a start: open the database (starting the embedded one when DATABASE_URL is unset, so the
 * workers attach to it through DATA_DIR) and migrate it. The caller keeps it open until every worker has exited.
 */
export async function prepareDeployment(config: Config, log: Logger): Promise<Deployment> {
  const db = await openDatabase(config.database, (m) => log.debug({ component: 'embedded-postgres' }, m));
  try {
    const applied = await migrate(db.sql);
    if (applied.length) log.info({ applied }, 'migrations applied');
    for (const w of await checkServerSettings(db.sql)) log.warn(w);
  } catch (e) {
    await db.close().catch(() => {});
    throw e;
  }
  const blobs = await openBlobStore(config.blobs).catch(async (e) => {
    await db.close().catch(() => {});
    throw e;
  });
  return {
    sql: db.sql,
    sandboxSql: db.pool(SANDBOX_POOL),
    blobs,
    embeddedDatabase: db.embedded,
    async close() {
      await blobs.close();
      await db.close();
    },
  };
}

export async function startService(config: Config, log: Logger, opts: StartOptions = {}): Promise<Service> {
  const db = await openDatabase(config.database, (m) => log.debug({ component: 'embedded-postgres' }, m));
  try {
    if (opts.migrate !== false) {
      const applied = await migrate(db.sql);
      if (applied.length) log.info({ applied }, 'migrations applied');
      for (const w of await checkServerSettings(db.sql)) log.warn(w);
    }
    // Losing the shared store's data starts a new generation: earlier one-shot URLs and access tokens are refused
    // (docs/durability.md#the-generation-mark). Every node logs it.
    const state = createSharedState(config.sharedState.redisUrl, opts.redisPrefix, {
      generations: pgGenerationLedger(db.sql),
      onGeneration: (e) =>
        log.warn({ generation_ms: e.generationMs, reason: e.reason, buckets: e.buckets }, 'shared state generation'),
    });
    const blobs = await openBlobStore(config.blobs);
    const infra: Infrastructure = {
      config,
      sql: db.sql,
      // The sandbox catalog of test mode (docs/test-mode.md#the-sandbox-catalog): a small pool whose unqualified
      // product tables are the sandbox schema's.
      sandboxSql: db.pool(SANDBOX_POOL),
      state,
      blobs,
      log,
      metricsExposition: opts.metricsExposition,
    };
    const app = createApp(infra, opts.modules);
    // Serve only once this node hears invalidations: a row cached before the first LISTEN would be dropped by
    // its catch-up anyway, and a change committed in between would go unheard
    // (docs/operations.md#cache-invalidation-across-nodes). Resolves on failure too: the polls take over.
    await app.invalidation.start();
    // While draining every answer closes its connection: a kept-alive client must not be caught by the close.
    const handler: typeof app.handler = (req, res) => {
      if (app.readiness.draining) res.setHeader('Connection', 'close');
      return app.handler(req, res);
    };
    const server = await listen(config.http, handler);
    const adminServer = app.adminHandler
      ? await listen(
          { host: config.admin.host, port: config.admin.port!, tls: config.http.tls, redirectPort: undefined },
          app.adminHandler,
        ).catch(async (e) => {
          await server.close(0);
          throw e;
        })
      : null;
    log.info(
      {
        url: server.url,
        port: server.port,
        admin_url: adminServer?.url,
        database: db.embedded ? 'embedded' : 'external',
        shared_state: state.kind,
        blob_store: blobs.kind,
        // The bounds of the per-node caches (docs/operations.md#memory); kc_cache_* in /metrics show their fill.
        cache_entries: {
          auth_tokens: config.auth.tokenCacheEntries,
          auth_clients: config.auth.clientCacheEntries,
          catalog: config.catalog.cacheEntries,
        },
        cache_bytes: { image_renditions: config.images.cacheBytes },
      },
      'listening',
    );
    return {
      url: server.url,
      port: server.port,
      adminUrl: adminServer?.url ?? server.url,
      infra,
      app,
      embeddedDatabase: db.embedded,
      async stop() {
        app.readiness.drain();
        if (config.process.shutdownDrainMs > 0) {
          log.info({ drain_ms: config.process.shutdownDrainMs }, 'draining: /readyz answers 503, still serving');
          await new Promise((r) => setTimeout(r, config.process.shutdownDrainMs));
        }
        await Promise.all([server.close(config.http.shutdownGraceMs), adminServer?.close(config.http.shutdownGraceMs)]);
        await app.close();
        await state.close();
        await blobs.close();
        await db.close();
      },
    };
  } catch (e) {
    await db.close().catch(() => {});
    throw e;
  }
}
