// The top-ups module (docs/console.md#top-ups): credit packages and top-up requests, confirmed by operators.
import type { Module } from '../../platform/module.ts';
import { TopUpsService } from './topups.service.ts';

export { type TopUpRefs, topupsGraphql } from './topups.graphql.ts';

export interface TopUpsModule extends Module {
  topups: TopUpsService;
}

export function createTopUpsModule(): TopUpsModule {
  const topups = new TopUpsService();
  return { name: 'topups', topups, graphqlServices: { topups } };
}
