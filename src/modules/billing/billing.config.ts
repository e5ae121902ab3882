// Pricing and debits (docs/billing.md).
import { configSection, int, type SectionValue } from '../../platform/config/section.ts';

export const billingConfig = configSection(
  {
    /** How long a node keeps the rates before reading them again (at most 5 s, the contract's bound). */
    PRICING_REFRESH_MS: int(100, 5000).default(2000),
    /**
     * Debit batches in flight at once per process (docs/billing.md#the-atomic-debit): batches of different accounts
     * commit side by side, one batch per account at a time. Each takes a pooled connection while it commits, so
     * the app uses at most half of DATABASE_POOL_SIZE for them. Default 1: with one database and no contention one
     * batch at a time makes the biggest batches (test/bench/debit-pipeline.bench.ts: 32.7k vs 23.9k debits/s over 8
     * accounts at depth 1 vs 4); more keeps other accounts moving while one is locked by another node.
     */
    DEBIT_PIPELINE_DEPTH: int(1, 32).default(1),
  },
  (e) => ({ pricingRefreshMs: e.PRICING_REFRESH_MS, debitPipelineDepth: e.DEBIT_PIPELINE_DEPTH }),
);
export type BillingConfig = SectionValue<typeof billingConfig>;
