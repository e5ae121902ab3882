// The top-ups module (docs/console.md#top-ups): credit packages and top-up requests, confirmed by operators.
import type { Sql } from '../../platform/db/client.ts';
import type { Module } from '../../platform/module.ts';
import type { AccountsService } from '../accounts/index.ts';
import type { AuditRecord } from '../people/index.ts';
import { TopUpsService } from './topups.service.ts';

export { type TopUpRefs, topupsGraphql } from './topups.graphql.ts';

export interface TopUpsModule extends Module {
  topups: TopUpsService;
}

export function createTopUpsModule(deps: {
  sql: Sql;
  accounts: AccountsService;
  audit: (a: AuditRecord) => Promise<void>;
}): TopUpsModule {
  const topups = new TopUpsService(deps);
  return { name: 'topups', topups, graphqlServices: { topups } };
}
