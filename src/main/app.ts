// The composition root (docs/architecture.md): the modules in the order they build on each other, each from its
// own config section and the services of the modules above it in the list; then one router over their routes,
// one /graphql over their types, services and plugins, and the admin door over their admin routes.
import type { IncomingHttpHeaders } from 'node:http';
import type { Counters } from '../kernel/counters.ts';
import { AppError } from '../kernel/errors.ts';
import type { Logger } from '../kernel/logger.ts';
import { randomPool } from '../kernel/random-pool.ts';
import { createAccountViewModule } from '../modules/account-view/index.ts';
import { createAccountsModule } from '../modules/accounts/index.ts';
import { createAuthModule } from '../modules/auth/index.ts';
import { createBillingModule } from '../modules/billing/index.ts';
import { createCatalogModule } from '../modules/catalog/index.ts';
import { configureMedia, createImagesModule } from '../modules/images/index.ts';
import { createLimitsModule } from '../modules/limits/index.ts';
import { createListingModule } from '../modules/listing/index.ts';
import { createPaidReadsModule } from '../modules/paid-reads/index.ts';
import { createWebhooksModule } from '../modules/webhooks/index.ts';
import type { BlobStore } from '../platform/blobs/blob-store.ts';
import type { Sql } from '../platform/db/client.ts';
import { isDatabaseError } from '../platform/db/errors.ts';
import { InvalidationListener } from '../platform/db/invalidation-listener.ts';
import { docsRoutes } from '../platform/docs-site/docs.routes.ts';
import { graphqlHandler } from '../platform/graphql/graphql.handler.ts';
import { loadPersistedOperations } from '../platform/graphql/persisted-operations.ts';
import { healthRoutes } from '../platform/health/health.routes.ts';
import { adminAuthenticator } from '../platform/http/admin-auth.ts';
import { publicBaseUrl } from '../platform/http/base-url.ts';
import type { Gate } from '../platform/http/gate.ts';
import { createHandler, type HandlerOptions } from '../platform/http/handler.ts';
import { Router } from '../platform/http/router.ts';
import { metricsRoutes } from '../platform/metrics/metrics.routes.ts';
import { Metrics, type MetricsExposition } from '../platform/metrics/metrics.ts';
import type { Module } from '../platform/module.ts';
import { openApiRoutes } from '../platform/openapi/openapi.routes.ts';
import { LoginThrottle } from '../platform/shared-state/login-throttle.ts';
import { observedSharedState } from '../platform/shared-state/observed-state.ts';
import type { SharedState } from '../platform/shared-state/shared-state.ts';
import type { Config } from './config.ts';
import { schema } from './schema.ts';

export interface Infrastructure {
  config: Config;
  sql: Sql;
  state: SharedState;
  blobs: BlobStore;
  log: Logger;
  /** Set in a cluster worker: /metrics answers for every worker of the node (docs/operations.md#metrics). */
  metricsExposition?: MetricsExposition;
}

export interface App {
  handler: ReturnType<typeof createHandler>;
  /** Set when ADMIN_PORT asks for a private admin listener: it serves /admin/v1 only, `handler` everything else. */
  adminHandler: ReturnType<typeof createHandler> | null;
  /** Process counts (catalog.lookups, debit.statements) of this app. */
  counters: Counters;
  /** This app's Prometheus registry and instruments (GET /metrics). */
  metrics: Metrics;
  /** NOTIFY kc_invalidate -> this node's caches (docs/operations.md#cache-invalidation-across-nodes). */
  invalidation: InvalidationListener;
  close(): Promise<void>;
}

const isAdminPath = (p: string) => p === '/admin/v1' || p.startsWith('/admin/v1/');

export function createApp(infra: Infrastructure): App {
  const { config, sql, log, blobs } = infra;
  configureMedia();
  const metrics = new Metrics(infra.metricsExposition);
  const state = observedSharedState(infra.state, (op) => metrics.sharedStateErrors.inc({ op }));
  const invalidation = new InvalidationListener(sql, log);
  const baseUrl = (req: { headers: IncomingHttpHeaders }) =>
    publicBaseUrl(req.headers, config.http.publicBaseUrl, config.http.tls !== null);
  const adminThrottle = new LoginThrottle(state, config.admin.failedPerMinute, 'admin-auth-fail');
  const authenticateAdmin = adminAuthenticator(config.admin.token, adminThrottle);

  const limits = createLimitsModule({ config: config.limits, state, metrics });
  const auth = createAuthModule({
    config: config.auth,
    sql,
    state,
    metrics,
    invalidation,
    rateLimit: limits.rateLimit,
  });
  const gate: Gate = {
    authenticateClient: auth.authenticate,
    authenticateAdmin: (req, ctx) => authenticateAdmin(req, ctx.ip),
    rateLimit: limits.rateLimit,
    settle: limits.settle,
  };
  const catalog = createCatalogModule({ config: config.catalog, sql, log, metrics, invalidation });
  const accounts = createAccountsModule({
    config: config.accounts,
    sql,
    onClientChanged: auth.clientChanged,
    onSessionsEnded: auth.sessionsEnded,
    brandWarnings: catalog.brandWarnings,
  });
  const images = createImagesModule({
    config: config.images,
    publicBaseUrl: config.http.publicBaseUrl,
    sql,
    state,
    blobs,
    log,
    random: randomPool,
    metrics,
  });
  const billing = createBillingModule({
    config: config.billing,
    sql,
    metrics,
    invalidation,
    poolSize: config.database.poolSize,
  });
  const accountView = createAccountViewModule({ sql, budget: limits.budget });
  const balanceOf = (accountId: string) => accountView.view.creditsRemaining(accountId);
  const listing = createListingModule({ sql, creditsRemaining: balanceOf, origin: baseUrl });
  const webhooks = createWebhooksModule({ config: config.webhooks, sql, log, metrics });
  const paidReads = createPaidReadsModule({
    sql,
    pricing: billing.pricing,
    debits: billing.debits,
    catalog: catalog.cache,
    images: images.issuer,
    listing: listing.listing,
    gate,
    baseUrl,
    balanceOf,
    budget: limits.budget,
  });
  // Closed in reverse: paid reads stop before the debits they hand to billing, billing before the pool closes.
  const modules: Module[] = [
    limits,
    auth,
    catalog,
    accounts,
    images,
    billing,
    accountView,
    listing,
    webhooks,
    paidReads,
  ];

  const router = new Router().add(
    ...healthRoutes({ sql, state, blobs }),
    ...metricsRoutes(metrics),
    ...modules.flatMap((m) => [...(m.routes ?? []), ...(m.adminRoutes ?? [])]),
    ...openApiRoutes(),
    ...docsRoutes(),
  );
  const graphql = graphqlHandler({
    schema,
    gate,
    services: Object.assign({}, ...modules.map((m) => m.graphqlServices ?? {})),
    plugins: modules.flatMap((m) => m.graphqlPlugins ?? []),
    newOperation: () => Object.assign({}, ...modules.map((m) => m.graphqlOperation?.() ?? {})),
    graphiql: config.graphql.graphiql,
    persisted: {
      store: config.graphql.persistedOperationsFile
        ? loadPersistedOperations(config.graphql.persistedOperationsFile)
        : new Map(),
      allowArbitrary: !config.graphql.persistedOnly,
    },
  });
  const handlerOptions: HandlerOptions = {
    router,
    gate,
    log,
    raw: { '/graphql': graphql },
    trustedProxies: config.http.trustedProxies,
    balanceOf,
    observe: (r) => {
      metrics.httpRequests.inc({ method: r.method, route: r.route, status: String(r.status) });
      metrics.httpDuration.observe({ method: r.method, route: r.route }, r.seconds);
      if (r.error !== undefined && !(r.error instanceof AppError) && isDatabaseError(r.error))
        metrics.databaseErrors.inc({ where: 'request' });
    },
    securityHeaders: config.http.tls ? { 'Strict-Transport-Security': 'max-age=63072000; includeSubDomains' } : {},
  };
  // See docs/tokens-and-sessions.md#admin-api
  const separateAdmin = config.admin.port !== undefined;
  const handler = createHandler(separateAdmin ? { ...handlerOptions, serves: (p) => !isAdminPath(p) } : handlerOptions);
  const adminHandler = separateAdmin ? createHandler({ ...handlerOptions, raw: {}, serves: isAdminPath }) : null;

  return {
    handler,
    adminHandler,
    counters: metrics.counters,
    metrics,
    invalidation,
    async close() {
      for (const m of [...modules].reverse()) await m.close?.();
      await invalidation.close();
    },
  };
}
