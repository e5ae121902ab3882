// The composition root: builds every service from the infrastructure once, and the HTTP handler over them.
// Layers only talk downward: routes/resolvers -> services -> repositories (SQL) / shared state / blob store.
import type { Config } from './config.ts';
import type { Sql } from './db/client.ts';
import type { SharedState } from './shared-state/shared-state.ts';
import type { BlobStore } from './blobs/blob-store.ts';
import type { Logger } from './logger.ts';
import { Router } from './http/router.ts';
import { createHandler } from './http/handler.ts';
import type { Gate } from './http/gate.ts';
import { AppError } from './http/errors.ts';
import { adminAuthenticator } from './admin/admin-auth.ts';
import { healthRoutes } from './health/health.routes.ts';

export interface Infrastructure {
  config: Config;
  /** ADMIN_TOKEN, or the one generated at start-up when unset. */
  adminToken: string;
  sql: Sql;
  state: SharedState;
  blobs: BlobStore;
  log: Logger;
}

export interface App {
  handler: ReturnType<typeof createHandler>;
  close(): Promise<void>;
}

export function createApp(infra: Infrastructure): App {
  const { config, sql, state, log } = infra;
  const authenticateAdmin = adminAuthenticator(infra.adminToken);

  const gate: Gate = {
    async authenticateClient() {
      throw new AppError('unauthenticated', 'A valid bearer access token is required.', { 'WWW-Authenticate': 'Bearer' });
    },
    authenticateAdmin: (req) => authenticateAdmin(req),
    async rateLimit() {},
    async settle() {},
  };

  const router = new Router().add(...healthRoutes({ sql, state }));

  const handler = createHandler({
    router,
    gate,
    log,
    trustedProxies: config.TRUSTED_PROXIES,
    securityHeaders: config.TLS_CERT_FILE ? { 'Strict-Transport-Security': 'max-age=63072000; includeSubDomains' } : {},
  });

  return {
    handler,
    async close() {},
  };
}
