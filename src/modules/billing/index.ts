// The billing module (docs/billing.md): the rates (admin-set, the same on every node within 5 s), the cost
// formula, and the group-committed debit that writes every ledger row. Paid reads debit through it.
import type { ClientMode } from '../../kernel/principal.ts';
import type { Sql } from '../../platform/db/client.ts';
import type { InvalidationListener } from '../../platform/db/invalidation-listener.ts';
import type { Metrics } from '../../platform/metrics/metrics.ts';
import type { Module } from '../../platform/module.ts';
import { adminPricingRoutes } from './admin-pricing.routes.ts';
import type { BillingConfig } from './billing.config.ts';
import { billingMetrics } from './billing.metrics.ts';
import { DebitBatcher } from './debit-batcher.ts';
import { type CreditPackage, pricingRoutes } from './pricing.routes.ts';
import { PricingService } from './pricing.service.ts';
import { type DebitSink, TestReads } from './test-reads.ts';

export { billingCli } from './billing.cli.ts';
export { type BillingConfig, billingConfig } from './billing.config.ts';
export { ChargeBuilder } from './cost.ts';
export { accountBalance, type LedgerLine } from './ledger.repository.ts';
export { pricingGraphql, type TierRef } from './pricing.graphql.ts';
export { type Pricing, PricingService } from './pricing.service.ts';
export type { DebitSink } from './test-reads.ts';

export interface BillingModule extends Module {
  pricing: PricingService;
  debits: DebitBatcher;
  /** Where each mode's charges go: the live debit batcher, or test mode's usage record (docs/test-mode.md). */
  sinks: Record<ClientMode, DebitSink>;
}

export function createBillingModule(deps: {
  config: BillingConfig;
  sql: Sql;
  metrics: Metrics;
  invalidation: InvalidationListener;
  /** The database pool's size: debit batches in flight take at most half of it, so reads are never starved. */
  poolSize: number;
  /** The active credit packages, listed by GET /api/v1/pricing (the top-ups module's, composed in main). */
  packages: () => Promise<CreditPackage[]>;
}): BillingModule {
  const { config, sql, metrics } = deps;
  const pricing = new PricingService(sql, config.pricingRefreshMs);
  deps.invalidation.subscribe('pricing', { changed: () => pricing.invalidate(), resync: () => pricing.invalidate() });
  const depth = Math.max(1, Math.min(config.debitPipelineDepth, Math.floor(deps.poolSize / 2)));
  const debits = new DebitBatcher(sql, metrics.counters, billingMetrics(metrics), depth);
  return {
    name: 'billing',
    pricing,
    debits,
    sinks: { live: debits, test: new TestReads(sql) },
    routes: pricingRoutes(pricing, deps.packages),
    adminRoutes: adminPricingRoutes(pricing, deps.packages),
    graphqlServices: { pricing },
    // Every debit handed to the batcher commits (and answers) before the pool closes.
    close: () => debits.close(),
  };
}
