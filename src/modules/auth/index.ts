// The auth module (docs/tokens-and-sessions.md): API keys exchanged for access and refresh tokens, every bearer
// checked against its client's controls (enabled, expiry, IP allowlist, revocations). It is the authentication
// half of the HTTP gate; accounts tell it when a client changed or its sessions ended.
import type { IncomingMessage } from 'node:http';
import type { Principal } from '../../kernel/principal.ts';
import type { RequestContext } from '../../kernel/request-context.ts';
import type { Sql } from '../../platform/db/client.ts';
import type { InvalidationListener } from '../../platform/db/invalidation-listener.ts';
import type { Metrics } from '../../platform/metrics/metrics.ts';
import type { Module } from '../../platform/module.ts';
import type { SharedState } from '../../platform/shared-state/shared-state.ts';
import type { AuthConfig } from './auth.config.ts';
import { authRoutes } from './auth.routes.ts';
import { AuthService } from './auth.service.ts';

export { type AuthConfig, authConfig } from './auth.config.ts';
export { hasCanonicalTail, isCanonicalBase64url } from './canonical-base64url.ts';
export { inScope } from './scope.ts';

export interface AuthModule extends Module {
  /** The bearer's principal, or throws unauthenticated / client_disabled / client_ip_not_allowed. */
  authenticate(req: IncomingMessage, ctx: RequestContext): Promise<Principal>;
  /** A client row changed (disabled, rotated, …): this node forgets what it cached of it. */
  clientChanged(clientId: string): void;
  /** Every session of the client ended as of `atMs` (the durable mark is committed). */
  sessionsEnded(clientId: string, atMs: number): Promise<void>;
}

export function createAuthModule(deps: {
  config: AuthConfig;
  sql: Sql;
  state: SharedState;
  metrics: Metrics;
  invalidation: InvalidationListener;
  /** Counts a successful exchange against the client's own buckets (the limits module). */
  rateLimit: (ctx: RequestContext) => Promise<void>;
}): AuthModule {
  const { config, sql, metrics } = deps;
  const auth = new AuthService(sql, deps.state, {
    jwtKeys: config.jwtKeys,
    issuer: config.issuer,
    accessTokenTtlSec: config.accessTokenTtlSec,
    clientCacheMs: config.clientCacheMs,
    clientCacheEntries: config.clientCacheEntries,
    failedPerMinute: config.failedPerMinute,
    tokenCacheEntries: config.tokenCacheEntries,
    onTokenCacheLookup: (hit) => metrics.cacheLookups.inc({ cache: 'auth_tokens', result: hit ? 'hit' : 'miss' }),
  });
  metrics.cacheSize('auth_tokens', auth.tokens.maxEntries, () => auth.tokens.size);
  metrics.cacheSize('auth_clients', config.clientCacheEntries, () => auth.cache.size);
  // Client changes committed by any node reach this node's cache through one LISTEN
  // (docs/operations.md#cache-invalidation-across-nodes); the cache's TTL remains the fallback.
  deps.invalidation.subscribe('clients', {
    changed: (ids) => auth.cache.evict(ids),
    resync: () => auth.cache.evict(null),
  });
  return {
    name: 'auth',
    routes: authRoutes({ auth, sql, rateLimit: deps.rateLimit }),
    authenticate: (req, ctx) => auth.authenticate(req, ctx),
    clientChanged: (id) => auth.cache.invalidate(id),
    sessionsEnded: (id, atMs) => auth.sessionsEnded(id, atMs),
  };
}

/** Publishes a client's ended sessions to the shared state the servers read (their refusal is then immediate). */
export async function publishSessionsEnded(
  sql: Sql,
  state: SharedState,
  clientId: string,
  atMs: number,
): Promise<void> {
  const { Revocations } = await import('./revocations.ts');
  await new Revocations(sql, state).markClientNotBefore(clientId, atMs);
}
