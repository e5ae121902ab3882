// The doors of one node over its modules (docs/architecture.md#the-composition-root): one router over every
// module's routes and admin routes (with the platform's own: health, metrics, OpenAPI, docs), one /graphql over
// their schema, services and plugins, the console's pages, and the split between the public and the admin listener.
import type { IncomingMessage } from 'node:http';
import type { GraphQLSchema } from 'graphql';
import { AppError } from '../kernel/errors.ts';
import type { Logger } from '../kernel/logger.ts';
import { consoleRoutes } from './console-site/console.routes.ts';
import { isDatabaseError } from './db/errors.ts';
import { docsRoutes } from './docs-site/docs.routes.ts';
import type { GraphQLConfig } from './graphql/graphql.config.ts';
import { type GraphQLDeps, graphqlHandler } from './graphql/graphql.handler.ts';
import { loadPersistedOperations } from './graphql/persisted-operations.ts';
import { type CorsOrigins, CorsPolicy } from './http/cors.ts';
import type { Gate } from './http/gate.ts';
import { createHandler, type HandlerOptions } from './http/handler.ts';
import { type Route, Router } from './http/router.ts';
import { metricsRoutes, type ScrapeAuthorizer } from './metrics/metrics.routes.ts';
import type { Metrics } from './metrics/metrics.ts';
import type { Module } from './module.ts';
import { openApiRoutes } from './openapi/openapi.routes.ts';

export interface DoorsOptions {
  modules: Module[];
  /** Routes of the platform itself (health). */
  routes: Route[];
  schema: GraphQLSchema;
  graphql: GraphQLConfig;
  gate: Gate;
  log: Logger;
  metrics: Metrics;
  trustedProxies: string[];
  /** The balance for the headers of requests that did not debit. */
  balanceOf: (accountId: string) => Promise<bigint | null>;
  /** HTTPS is served: Strict-Transport-Security on every answer. */
  tls: boolean;
  /** Who may scrape /metrics: the admin token or METRICS_TOKEN. */
  authorizeScrape: ScrapeAuthorizer;
  /** Browser origins allowed on /api/v1 and /graphql (docs/rest.md#cors). */
  corsOrigins: CorsOrigins;
  /** ADMIN_PORT is set: /admin/v1 is served only by `admin`, everything else only by `public`. */
  separateAdmin: boolean;
  /** The request carries a live operator session: only then may /admin/graphql read a body over 1 MiB. */
  operatorSignedIn: (req: IncomingMessage) => Promise<boolean>;
}

// With ADMIN_PORT, the operators' listener serves the admin API, the scrape, the operator console and its GraphQL
// door; the public one none of them. The console's assets (one build for both consoles) are served by both.
const under = (p: string, prefix: string) => p === prefix || p.startsWith(`${prefix}/`);
const isAdminPath = (p: string) =>
  under(p, '/admin/v1') || p === '/metrics' || under(p, '/admin/graphql') || under(p, '/console/admin');
const isAsset = (p: string) => p.startsWith('/console/assets/');
/**
 * The operator console's GraphQL body: a product image (25 MiB, docs/limits.md) in base64, with the document; for a
 * signed-in operator only (anyone else keeps the JSON limit, so nobody unauthenticated makes a node buffer 36 MiB).
 */
const ADMIN_GRAPHQL_LIMIT = 36 * 1024 * 1024;

export function createDoors(o: DoorsOptions) {
  const { modules, metrics } = o;
  const router = new Router().add(
    ...o.routes,
    ...metricsRoutes(metrics, o.authorizeScrape),
    ...modules.flatMap((m) => [...(m.routes ?? []), ...(m.adminRoutes ?? [])]),
  );
  // The document is checked against the routes' deprecations (docs/versioning.md) before it is served.
  router.add(...openApiRoutes(undefined, router.routes), ...docsRoutes(), ...consoleRoutes());
  const persisted = {
    store: o.graphql.persistedOperationsFile ? loadPersistedOperations(o.graphql.persistedOperationsFile) : new Map(),
    allowArbitrary: !o.graphql.persistedOnly,
  };
  const gql = (more: Partial<GraphQLDeps>) =>
    graphqlHandler({
      schema: o.schema,
      gate: o.gate,
      services: Object.assign({}, ...modules.map((m) => m.graphqlServices ?? {})),
      plugins: modules.flatMap((m) => m.graphqlPlugins ?? []),
      newOperation: () => Object.assign({}, ...modules.map((m) => m.graphqlOperation?.() ?? {})),
      graphiql: o.graphql.graphiql,
      persisted,
      ...more,
    });
  // docs/console.md#operators: the operator console's own door answers only operator fields; with ADMIN_PORT the
  // public /graphql answers none of them.
  const graphql = gql({ door: o.separateAdmin ? 'public' : 'all' });
  const adminGraphql = gql({
    endpoint: '/admin/graphql',
    door: 'operator',
    graphiql: false,
    bodyLimit: ADMIN_GRAPHQL_LIMIT,
    largeBodyAllowed: o.operatorSignedIn,
  });
  const options: HandlerOptions = {
    router,
    gate: o.gate,
    log: o.log,
    raw: o.separateAdmin ? { '/graphql': graphql } : { '/graphql': graphql, '/admin/graphql': adminGraphql },
    trustedProxies: o.trustedProxies,
    balanceOf: o.balanceOf,
    cors: new CorsPolicy(o.corsOrigins),
    observe: (r) => {
      metrics.httpRequests.inc({ method: r.method, route: r.route, status: String(r.status) });
      metrics.httpDuration.observe({ method: r.method, route: r.route }, r.seconds);
      if (r.error !== undefined && !(r.error instanceof AppError) && isDatabaseError(r.error))
        metrics.databaseErrors.inc({ where: 'request' });
    },
    securityHeaders: o.tls ? { 'Strict-Transport-Security': 'max-age=63072000; includeSubDomains' } : {},
  };
  // See docs/tokens-and-sessions.md#admin-api
  return {
    public: createHandler(o.separateAdmin ? { ...options, serves: (p) => !isAdminPath(p) } : options),
    admin: o.separateAdmin
      ? createHandler({
          ...options,
          raw: { '/admin/graphql': adminGraphql },
          serves: (p) => isAdminPath(p) || isAsset(p),
        })
      : null,
  };
}
