// What billing counts (docs/operations.md#metrics): credits debited, ledger lines, debits by result, batch sizes.
import type { Metrics } from '../../platform/metrics/metrics.ts';

export function billingMetrics(m: Metrics) {
  return {
    creditsDebited: m.counter({
      name: 'kc_credits_debited_total',
      help: 'Credits debited from accounts by paid reads, by action (a product read: product_meta, image, ...).',
      labelNames: ['action'],
    }),
    debitLines: m.counter({
      name: 'kc_debit_lines_total',
      help: 'Charged units of work (ledger lines) of admitted debits, by action.',
      labelNames: ['action'],
    }),
    debits: m.counter({
      name: 'kc_debits_total',
      help: 'Debits (one per paid read) by result: admitted, insufficient (balance did not cover it), error.',
      labelNames: ['result'],
    }),
    debitBatchSize: m.histogram({
      name: 'kc_debit_batch_size',
      help: 'Debits committed together in one statement (group commit, docs/billing.md).',
      buckets: [1, 2, 4, 8, 16, 32, 64, 128, 200],
    }),
    debitStatements: m.countedCounter('debit.statements', {
      name: 'kc_debit_requests_total',
      help: 'Debits handed to the batcher (the counter tests read as debit.statements).',
    }),
    databaseErrors: m.databaseErrors,
  };
}
export type BillingMetrics = ReturnType<typeof billingMetrics>;
