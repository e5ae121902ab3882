// The composition root (docs/architecture.md): the modules in the order they build on each other, each from its
// own config section and the services of the modules above it in the list; then one router over their routes,
// one /graphql over their types, services and plugins, and the admin door over their admin routes.
import type { IncomingHttpHeaders } from 'node:http';
import type { Counters } from '../kernel/counters.ts';
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
import { createOperatorsModule } from '../modules/operators/index.ts';
import { createPaidReadsModule } from '../modules/paid-reads/index.ts';
import { type AuditRecord, createPeopleModule } from '../modules/people/index.ts';
import { createSandboxModule } from '../modules/sandbox/index.ts';
import { createTopUpsModule } from '../modules/topups/index.ts';
import { createWebhooksModule } from '../modules/webhooks/index.ts';
import type { BlobStore } from '../platform/blobs/blob-store.ts';
import type { Sql } from '../platform/db/client.ts';
import { InvalidationListener } from '../platform/db/invalidation-listener.ts';
import { createDoors } from '../platform/doors.ts';
import { healthRoutes } from '../platform/health/health.routes.ts';
import { Readiness } from '../platform/health/readiness.ts';
import { adminAuthenticator, scrapeAuthenticator } from '../platform/http/admin-auth.ts';
import { publicBaseUrl } from '../platform/http/base-url.ts';
import type { Gate } from '../platform/http/gate.ts';
import { createMailer } from '../platform/mail/mailer.ts';
import { Metrics, type MetricsExposition } from '../platform/metrics/metrics.ts';
import type { Module } from '../platform/module.ts';
import { LoginThrottle } from '../platform/shared-state/login-throttle.ts';
import { observedSharedState } from '../platform/shared-state/observed-state.ts';
import type { SharedState } from '../platform/shared-state/shared-state.ts';
import type { Config } from './config.ts';
import { schema } from './schema.ts';

export interface Infrastructure {
  config: Config;
  sql: Sql;
  /** The same database with the sandbox catalog first on the search_path (test mode). */
  sandboxSql: Sql;
  state: SharedState;
  blobs: BlobStore;
  log: Logger;
  /** Set in a cluster worker: /metrics answers for every worker of the node (docs/operations.md#metrics). */
  metricsExposition?: MetricsExposition;
}

export interface App {
  handler: Doors['public'];
  /** Set when ADMIN_PORT asks for a private admin listener: it serves /admin/v1 only, `handler` everything else. */
  adminHandler: Doors['admin'];
  /** Process counts (catalog.lookups, debit.statements) of this app. */
  counters: Counters;
  /** This app's Prometheus registry and instruments (GET /metrics). */
  metrics: Metrics;
  /** NOTIFY kc_invalidate -> this node's caches (docs/operations.md#cache-invalidation-across-nodes). */
  invalidation: InvalidationListener;
  /** Draining after SIGTERM: /readyz 503 (docs/operations.md#readiness-and-drain). */
  readiness: Readiness;
  close(): Promise<void>;
}

type Doors = ReturnType<typeof createDoors>;

/** `extraModules` are composed after the application's own: a test adds one with routes of its own. */
export function createApp(infra: Infrastructure, extraModules: Module[] = []): App {
  const { config, sql, log, blobs } = infra;
  configureMedia();
  const metrics = new Metrics(infra.metricsExposition);
  const state = observedSharedState(infra.state, (op) => metrics.sharedStateErrors.inc({ op }));
  const invalidation = new InvalidationListener(sql, log);
  const baseUrl = (req: { headers: IncomingHttpHeaders }) =>
    publicBaseUrl(req.headers, config.http.publicBaseUrl, config.http.tls !== null);
  const adminThrottle = new LoginThrottle(state, config.admin.failedPerMinute, 'admin-auth-fail');
  const authenticateAdmin = adminAuthenticator(config.admin.token, adminThrottle);

  // What every module may take from the node: each factory picks what it needs.
  const base = { sql, sandboxSql: infra.sandboxSql, state, blobs, log, metrics, invalidation };

  const limits = createLimitsModule({ ...base, config: config.limits });
  const auth = createAuthModule({ ...base, config: config.auth, rateLimit: limits.rateLimit });
  const gate: Gate = {
    authenticateClient: auth.authenticate,
    authenticateAdmin: (req, ctx) => authenticateAdmin(req, ctx.ip),
    rateLimit: limits.rateLimit,
    settle: limits.settle,
  };
  const catalog = createCatalogModule({ ...base, config: config.catalog });
  const accounts = createAccountsModule({
    ...base,
    config: config.accounts,
    onClientChanged: auth.clientChanged,
    onSessionsEnded: auth.sessionsEnded,
    brandWarnings: catalog.brandWarnings,
  });
  const { publicBaseUrl: imageBase } = config.http;
  const images = createImagesModule({ ...base, config: config.images, publicBaseUrl: imageBase, random: randomPool });
  const billing = createBillingModule({
    ...base,
    config: config.billing,
    poolSize: config.database.poolSize,
    // Read per request, after every module is built (the top-ups module is composed further down).
    packages: () => topups.topups.packages(false),
  });
  const accountView = createAccountViewModule({ ...base, budget: limits.budget });
  const balanceOf = (accountId: string) => accountView.view.creditsRemaining(accountId);
  const sandbox = createSandboxModule({ ...base, cache: catalog.caches.test });
  const listing = createListingModule({
    ...base,
    ...{ creditsRemaining: balanceOf, origin: baseUrl, ensureSandbox: sandbox.ensureSeeded },
  });
  const webhooks = createWebhooksModule({ ...base, config: config.webhooks });
  const paidReads = createPaidReadsModule({
    ...base,
    ...{ pricing: billing.pricing, sinks: billing.sinks, images: images.issuer },
    catalogs: { live: catalog.caches.live, test: sandbox.catalog },
    ...{ listing: listing.listing, gate, baseUrl, balanceOf, budget: limits.budget },
  });
  const mailer = createMailer(config.mail, log.child({ component: 'mail' }));
  const people = createPeopleModule({
    ...base,
    config: config.people,
    mailer,
    accounts: accounts.accounts,
    clients: accounts.clients,
    webhooks: webhooks.service,
    clientBudget: limits.clientBudget,
    publicBaseUrl: config.http.publicBaseUrl,
  });
  const audit = (a: AuditRecord) => people.people.audit(a);
  const topups = createTopUpsModule({ sql, accounts: accounts.accounts, audit });
  const operators = createOperatorsModule({
    ...{ sql, state, audit, accounts: accounts.accounts, pricing: billing.pricing, images },
    products: catalog.productAdmin,
    ...{ webhooks: webhooks.service, failedPerMinute: config.people.failedPerMinute },
  });
  // Closed in reverse: paid reads stop before the debits they hand to billing, billing before the pool closes.
  // biome-ignore format: the list reads best on one line
  const modules: Module[] = [limits, auth, catalog, accounts, images, billing, accountView, sandbox, listing, webhooks, paidReads, people, topups, operators, ...extraModules];

  const readiness = new Readiness();
  const doors = createDoors({
    ...{
      modules,
      routes: healthRoutes({ sql, state, blobs, readiness }),
      schema,
      graphql: config.graphql,
      gate,
      log,
      metrics,
    },
    ...{ trustedProxies: config.http.trustedProxies, balanceOf, tls: config.http.tls !== null },
    separateAdmin: config.admin.port !== undefined,
    operatorSignedIn: (req) => operators.operators.signedIn(req.headers.cookie),
    corsOrigins: config.http.corsOrigins,
    authorizeScrape: scrapeAuthenticator(config.admin.metricsToken, authenticateAdmin),
  });

  return {
    handler: doors.public,
    adminHandler: doors.admin,
    counters: metrics.counters,
    metrics,
    invalidation,
    readiness,
    async close() {
      for (const m of [...modules].reverse()) await m.close?.();
      mailer.close();
      await invalidation.close();
    },
  };
}
