// What the catalog counts (docs/operations.md#metrics): lookups of cache misses and the cache's hit rate.
import type { Metrics } from '../../platform/metrics/metrics.ts';

export function catalogMetrics(m: Metrics) {
  return {
    catalogLookups: m.countedCounter('catalog.lookups', {
      name: 'kc_catalog_lookup_queries_total',
      help: 'Catalog SQL queries for cache misses (one per tick of concurrent plans).',
    }),
    catalogCache: m.counter({
      name: 'kc_catalog_cache_requests_total',
      help: 'Products asked of the per-node catalog cache, by result (hit, miss). Hit rate = hit / (hit + miss).',
      labelNames: ['result'],
    }),
  };
}
export type CatalogMetrics = ReturnType<typeof catalogMetrics>;
