// The one shape every feature module has (docs/architecture.md#the-module-shape). A module is built by its
// factory (src/modules/<name>/index.ts) from its own config section and the services of the modules below it;
// the composition root (src/main/app.ts) lists the modules and collects what each hands it: routes for the public
// and admin listeners, services and plugins for /graphql, work to start, and what to close on shutdown.
import type { GraphQLServices, OperationState } from './graphql/context.ts';
import type { GraphQLPlugin } from './graphql/direct-path.ts';
import type { Route } from './http/router.ts';

export interface Module {
  readonly name: string;
  /** Routes of the public listener (/api/v1/…, /docs, …). */
  routes?: Route[];
  /** Routes under /admin/v1 (the admin listener when ADMIN_PORT is set); each checks the admin token. */
  adminRoutes?: Route[];
  /** The services its GraphQL resolvers read from the context (the same ones its REST routes use). */
  graphqlServices?: Partial<GraphQLServices>;
  /** Yoga plugins, run in the order the composition root lists the modules (yoga-only hooks: direct-path.ts). */
  graphqlPlugins?: GraphQLPlugin[];
  /** Fresh per-operation state of its plugins (see OperationState). */
  graphqlOperation?: () => Partial<OperationState>;
  /** Work that starts once the module is built and the node is about to serve. */
  start?(): Promise<void>;
  /** Stops its work and flushes what it holds; modules close in reverse order of the list. */
  close?(): Promise<void>;
}
