// The account-view module (docs/rest.md#account): the free views an API client has of its account: balance, the
// account with its live rate-limit budget, and usage for invoicing. REST and GraphQL read the same service.
import type { RequestContext } from '../../kernel/request-context.ts';
import type { Sql } from '../../platform/db/client.ts';
import type { Module } from '../../platform/module.ts';
import type { BucketState } from '../limits/index.ts';
import { accountViewRoutes } from './account-view.routes.ts';
import { AccountViewService } from './account-view.service.ts';

export { accountViewGraphql } from './account-view.graphql.ts';

export interface AccountViewModule extends Module {
  view: AccountViewService;
}

export function createAccountViewModule(deps: {
  sql: Sql;
  budget: (ctx: RequestContext) => BucketState[] | null;
}): AccountViewModule {
  const view = new AccountViewService(deps.sql);
  return {
    name: 'account-view',
    view,
    routes: accountViewRoutes(view, deps.budget),
    graphqlServices: { accounts: view },
  };
}
