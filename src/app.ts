// The composition root: builds every service from the infrastructure once, and the HTTP handler over them.
// Layers only talk downward: routes/resolvers -> services -> repositories (SQL) / shared state / blob store.
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Config } from './config.ts';
import type { Sql } from './db/client.ts';
import type { SharedState } from './shared-state/shared-state.ts';
import type { BlobStore } from './blobs/blob-store.ts';
import type { Logger } from './kernel/logger.ts';
import { Router } from './http/router.ts';
import { createHandler, type HandlerOptions } from './http/handler.ts';
import type { Gate } from './http/gate.ts';
import { adminAuthenticator } from './admin/admin-auth.ts';
import { LoginThrottle } from './auth/login-throttle.ts';
import { healthRoutes } from './health/health.routes.ts';
import { createImagesModule } from './images/images.module.ts';
import { PricingService } from './billing/pricing.service.ts';
import { pricingRoutes } from './billing/pricing.routes.ts';
import { ReadPlanService } from './paid-reads/read-plan.service.ts';
import { CatalogCache } from './catalog/catalog-cache.ts';
import { DebitBatcher } from './billing/debit-batcher.ts';
import type { Counters } from './kernel/counters.ts';
import { Metrics, type MetricsExposition } from './kernel/metrics.ts';
import { AppError } from './kernel/errors.ts';
import { observedSharedState } from './shared-state/observed-state.ts';
import { isDatabaseError } from './db/errors.ts';
import { metricsRoutes } from './health/metrics.routes.ts';
import { unknownBrandWarnings } from './catalog/brands.repository.ts';
import { randomPool } from './kernel/random-pool.ts';
import { configureMedia } from './images/media.ts';
import { IdempotencyService } from './paid-reads/idempotency.service.ts';
import { productRoutes } from './paid-reads/products.routes.ts';
import { publicBaseUrl } from './paid-reads/base-url.ts';
import { graphqlHandler } from './graphql/graphql.handler.ts';
import { RateLimiter } from './limits/rate-limiter.ts';
import { RateLimitGate } from './limits/rate-limit.gate.ts';
import { AccountViewService } from './account-view/account-view.service.ts';
import { accountViewRoutes } from './account-view/account-view.routes.ts';
import { ListingService } from './listing/listing.service.ts';
import { listingRoutes } from './listing/listing.routes.ts';
import { openApiRoutes } from './openapi/openapi.routes.ts';
import { docsRoutes } from './docs-site/docs.routes.ts';
import { AuthService } from './auth/auth.service.ts';
import { authRoutes } from './auth/auth.routes.ts';
import { loadPersistedOperations, type PersistedOperationsOptions } from './graphql/persisted-operations.ts';
import { AccountsService } from './accounts/accounts.service.ts';
import { ClientsService } from './accounts/clients.service.ts';
import { adminRoutes } from './admin/admin.module.ts';
import { ProductAdminService } from './admin/product-admin.service.ts';
import { createWebhooksModule } from './webhooks/webhooks.module.ts';
import { InvalidationListener } from './db/invalidation-listener.ts';

export interface Infrastructure {
  config: Config;
  /** ADMIN_TOKEN, or the one generated at start-up when unset. */
  adminToken: string;
  sql: Sql;
  state: SharedState;
  blobs: BlobStore;
  log: Logger;
  /** Set in a cluster worker: /metrics answers for every worker of the node (docs/operations.md#metrics). */
  metricsExposition?: MetricsExposition;
}

export interface App {
  handler: ReturnType<typeof createHandler>;
  /** Process counters (catalog queries, debit statements) of this app. */
  counters: Counters;
  /** Set when ADMIN_PORT asks for a private admin listener: it serves /admin/v1 only, `handler` everything else. */
  adminHandler: ReturnType<typeof createHandler> | null;
  /** This app's Prometheus registry and instruments (GET /metrics). */
  metrics: Metrics;
  /** NOTIFY kc_invalidate -> this node's caches (docs/operations.md#cache-invalidation-across-nodes). */
  invalidation: InvalidationListener;
  close(): Promise<void>;
}

const isAdminPath = (p: string) => p === '/admin/v1' || p.startsWith('/admin/v1/');

export function createApp(infra: Infrastructure): App {
  const { config, sql, log } = infra;
  // Process-wide state is built here and handed down, never created at import time.
  configureMedia();
  const metrics = new Metrics(infra.metricsExposition);
  const counters = metrics.counters;
  const state = observedSharedState(infra.state, (op) => metrics.sharedStateErrors.inc({ op }));
  const authenticateAdmin = adminAuthenticator(
    infra.adminToken,
    new LoginThrottle(state, config.ADMIN_AUTH_FAILED_PER_MINUTE, 'admin-auth-fail'),
  );

  const limits = new RateLimitGate(
    new RateLimiter(
      state,
      { minuteSec: config.RATE_LIMIT_MINUTE_WINDOW_SEC, daySec: config.RATE_LIMIT_DAY_WINDOW_SEC },
      config.RATE_LIMIT_IP_PER_MINUTE,
    ),
  );
  // Accounts, clients and the token flow (docs/tokens-and-sessions.md).
  const auth = new AuthService(sql, state, {
    jwtKeys: config.JWT_KEYS,
    issuer: config.JWT_ISSUER,
    accessTtlSec: config.ACCESS_TOKEN_TTL_SEC,
    clientCacheMs: config.AUTH_CLIENT_CACHE_MS,
    clientCacheEntries: config.AUTH_CLIENT_CACHE_ENTRIES,
    failedPerMinute: config.AUTH_FAILED_PER_MINUTE,
    tokenCacheEntries: config.AUTH_TOKEN_CACHE_ENTRIES,
    onTokenCacheLookup: (hit) => metrics.cacheLookups.inc({ cache: 'auth_tokens', result: hit ? 'hit' : 'miss' }),
  });
  metrics.cacheSize('auth_tokens', auth.tokens.maxEntries, () => auth.tokens.size);
  metrics.cacheSize('auth_clients', config.AUTH_CLIENT_CACHE_ENTRIES, () => auth.cache.size);
  const accounts = new AccountsService(sql);
  const clients = new ClientsService(sql, {
    keyOverlapSec: config.API_KEY_OVERLAP_SEC,
    onChange: (id) => auth.cache.invalidate(id),
    onSessionsEnded: (id, atMs) => auth.sessionsEnded(id, atMs),
  });
  const gate: Gate = {
    authenticateClient: (req, ctx) => auth.authenticate(req, ctx),
    authenticateAdmin: (req, ctx) => authenticateAdmin(req, ctx.ip),
    rateLimit: async (ctx, weight) => {
      try {
        await limits.rateLimit(ctx, weight);
      } catch (e) {
        if (e instanceof AppError && e.code === 'rate_limited')
          metrics.rateLimited.inc({ who: ctx.principal ? 'client' : 'ip' });
        throw e;
      }
    },
    settle: limits.settle,
  };

  const router = new Router().add(...healthRoutes({ sql, state, blobs: infra.blobs }), ...metricsRoutes(metrics));
  router.add(...authRoutes({ auth, sql, rateLimit: (ctx) => gate.rateLimit(ctx) }));

  // Images: signed one-shot URLs, marked delivery, ingest, trace, identify; its recorder is flushed on close.
  const images = createImagesModule({ config, sql, state, blobs: infra.blobs, log, random: randomPool, metrics });
  router.add(...images.routes);
  metrics.cacheBytes('image_renditions', config.IMAGE_CACHE_MB * 1024 * 1024, () => images.renditions.cacheStats.bytes);
  // Paid reads: one read-plan service behind REST and GraphQL; it signs image URLs through the images module.
  const pricing = new PricingService(sql, config.PRICING_REFRESH_MS);
  const catalogCache = new CatalogCache(sql, log, {
    counters,
    metrics,
    pollMs: config.CATALOG_POLL_MS,
    maxEntries: config.CATALOG_CACHE_ENTRIES,
  });
  metrics.cacheSize('catalog', catalogCache.maxEntries, () => catalogCache.size);
  // Changes committed by any node or tool reach this node's caches through one LISTEN
  // (docs/operations.md#cache-invalidation-across-nodes); their polls and TTLs remain the fallback.
  const invalidation = new InvalidationListener(sql, log);
  invalidation.subscribe('products', {
    changed: (ids) => catalogCache.evict(ids),
    resync: () => catalogCache.resync(),
  });
  invalidation.subscribe('clients', { changed: (ids) => auth.cache.evict(ids), resync: () => auth.cache.evict(null) });
  invalidation.subscribe('pricing', { changed: () => pricing.invalidate(), resync: () => pricing.invalidate() });
  void invalidation.start();
  // In-flight debit batches each hold a pooled connection: at most half the pool, so reads are never starved.
  const debitDepth = Math.max(1, Math.min(config.DEBIT_PIPELINE_DEPTH, Math.floor(config.DATABASE_POOL_SIZE / 2)));
  const debits = new DebitBatcher(sql, counters, metrics, debitDepth);
  const reads = new ReadPlanService(sql, pricing, images.issuer, debits, catalogCache);
  const baseUrlOf = (req: { headers: import('node:http').IncomingHttpHeaders }) =>
    publicBaseUrl(req.headers, config.PUBLIC_BASE_URL, !!config.TLS_CERT_FILE);
  router.add(...pricingRoutes(pricing));
  // Webhooks (docs/webhooks.md): subscriptions and this node's outbox dispatcher, stopped in close().
  const webhooks = createWebhooksModule({ config, sql, log });
  metrics.sampled(
    'kc_webhook_node_deliveries',
    'Webhook attempts of this node since start, by outcome',
    'outcome',
    'sum',
    async () => {
      const c = webhooks.nodeCounters();
      return { claimed: c.claimed, delivered: c.delivered, retried: c.retried, failed: c.failed, disabled: c.disabled };
    },
  );
  metrics.sampled(
    'kc_webhook_deliveries',
    'Webhook deliveries in the kept log (all nodes), by state',
    'state',
    'first',
    async () => {
      const s = await webhooks.service.stats();
      return { queued: s.queued, retrying: s.retrying, delivered: s.delivered, failed: s.failed };
    },
  );
  router.add(...webhooks.routes);
  router.add(
    ...adminRoutes({
      accounts,
      clients,
      products: new ProductAdminService(sql),
      pricing,
      ingest: images.ingest,
      traces: images.traces,
      identify: images.identify,
      brandWarnings: (brands) => unknownBrandWarnings(sql, brands),
      webhooks: { service: webhooks.service, nodeCounters: webhooks.nodeCounters },
    }),
  );
  const idempotency = new IdempotencyService(sql);
  router.add(...productRoutes({ reads, idempotency, baseUrl: baseUrlOf }));
  const accountView = new AccountViewService(sql);
  const listing = new ListingService(sql);
  router.add(
    ...listingRoutes(listing, accountView, baseUrlOf),
    ...accountViewRoutes(accountView, (ctx) => limits.budget(ctx)),
    ...openApiRoutes(),
    ...docsRoutes(),
  );

  const handlerOptions: HandlerOptions = {
    router,
    gate,
    log,
    raw: {
      '/graphql': graphqlHandler({
        reads,
        pricing,
        gate,
        baseUrl: baseUrlOf,
        graphiql: config.GRAPHIQL ? config.GRAPHIQL === '1' : config.NODE_ENV !== 'production',
        idempotency,
        persisted: persistedOperations(config),
        services: { listing, accounts: accountView, budget: (ctx) => limits.budget(ctx), webhooks: webhooks.service },
      }),
    },
    trustedProxies: config.TRUSTED_PROXIES,
    balanceOf: (accountId) => accountView.creditsRemaining(accountId),
    observe: (r) => {
      metrics.httpRequests.inc({ method: r.method, route: r.route, status: String(r.status) });
      metrics.httpDuration.observe({ method: r.method, route: r.route }, r.seconds);
      if (r.error !== undefined && !(r.error instanceof AppError) && isDatabaseError(r.error))
        metrics.databaseErrors.inc({ where: 'request' });
    },
    securityHeaders: config.TLS_CERT_FILE ? { 'Strict-Transport-Security': 'max-age=63072000; includeSubDomains' } : {},
  };
  // See docs/tokens-and-sessions.md#admin-api
  const separateAdmin = config.ADMIN_PORT !== undefined;
  const publicOnly = (p: string) => !isAdminPath(p);
  const handler = createHandler(separateAdmin ? { ...handlerOptions, serves: publicOnly } : handlerOptions);
  const adminHandler = separateAdmin ? createHandler({ ...handlerOptions, raw: {}, serves: isAdminPath }) : null;

  return {
    handler,
    counters,
    adminHandler,
    metrics,
    invalidation,
    async close() {
      // Every debit handed to the batcher commits (and answers) before the pool closes.
      await debits.close();
      await webhooks.close();
      await invalidation.close();
      catalogCache.close();
      await images.close();
    },
  };
}

/**
 * The persisted-operation store (docs/graphql.md#persisted-operations): PERSISTED_OPERATIONS_FILE, else the
 * checked-in manifest of the sample consumer (test/consumer/gql/persisted-documents.json) when it is present.
 * A configured file that is missing or malformed stops start-up.
 */
function persistedOperations(config: Config): PersistedOperationsOptions {
  const sample = path.resolve(import.meta.dirname, '../test/consumer/gql/persisted-documents.json');
  const file = config.PERSISTED_OPERATIONS_FILE ?? (existsSync(sample) ? sample : null);
  return {
    store: file ? loadPersistedOperations(file) : new Map(),
    allowArbitrary: config.PERSISTED_OPERATIONS_ONLY !== '1',
  };
}
