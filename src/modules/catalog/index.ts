// The catalog module: GTIN rules, products and their images in PostgreSQL, the per-node catalog cache (kept in
// step across nodes by LISTEN/NOTIFY), and the operators' product upsert. Paid reads, listing, images and the
// seed read and write products through it.
import type { Logger } from '../../kernel/logger.ts';
import type { ClientMode } from '../../kernel/principal.ts';
import type { Sql } from '../../platform/db/client.ts';
import type { InvalidationListener } from '../../platform/db/invalidation-listener.ts';
import type { Metrics } from '../../platform/metrics/metrics.ts';
import type { Module } from '../../platform/module.ts';
import { adminProductRoutes } from './admin-products.routes.ts';
import { unknownBrandWarnings } from './brands.repository.ts';
import type { CatalogConfig } from './catalog.config.ts';
import { catalogMetrics } from './catalog.metrics.ts';
import { CatalogCache } from './catalog-cache.ts';
import { ProductAdminService } from './product-admin.service.ts';

export { unknownBrandWarnings } from './brands.repository.ts';
export { type CatalogConfig, catalogConfig } from './catalog.config.ts';
export { catalogGraphql } from './catalog.graphql.ts';
export { CatalogCache } from './catalog-cache.ts';
export { parseBarcode, toGtin14, withCheckDigit } from './gtin.ts';
export { IMAGE_FORMATS, IMAGE_SIZES, type ImageFormat, type ImageSize, SIZE_PX } from './image-spec.ts';
export {
  BRACHOS,
  type Bracha,
  DMP,
  type Hechsher,
  type ImageRecord,
  NUTRIENT_KEYS,
  type NutritionFacts,
  type ProductInput,
  type ProductMeta,
  type ProductRecord,
  VARIANTS,
  type Variant,
} from './product.types.ts';
export type { ProductAdminService } from './product-admin.service.ts';
export { parseProductMeta } from './product-meta.input.ts';
export { type ImageRow, type UpsertCounts, upsertImages, upsertProducts } from './product-write.repository.ts';

export interface CatalogModule extends Module {
  /** The per-node cache of each catalog: the live one, and the sandbox test clients read (docs/test-mode.md). */
  caches: Record<ClientMode, CatalogCache>;
  /** Sentences about brands that match no catalog brand (scoped clients; docs/operations.md#scoped-clients). */
  brandWarnings(brands: string[] | null | undefined): Promise<string[]>;
  /** The operator's product upsert and read (the admin API's and the operator console's). */
  productAdmin: ProductAdminService;
}

export function createCatalogModule(deps: {
  config: CatalogConfig;
  sql: Sql;
  sandboxSql: Sql;
  log: Logger;
  metrics: Metrics;
  invalidation: InvalidationListener;
}): CatalogModule {
  const { config, sql, metrics } = deps;
  const cache = new CatalogCache(sql, deps.log, {
    counters: metrics.counters,
    metrics: catalogMetrics(metrics),
    pollMs: config.pollMs,
    maxEntries: config.cacheEntries,
  });
  // The sandbox is small (about 50 products) and changes rarely: a small cache, polled like the live one.
  const sandbox = new CatalogCache(deps.sandboxSql, deps.log, { pollMs: config.pollMs, maxEntries: 1000 });
  metrics.cacheSize('catalog', cache.maxEntries, () => cache.size);
  // Changes committed by any node or tool reach this node's caches through one LISTEN
  // (docs/operations.md#cache-invalidation-across-nodes); their polls remain the fallback. A notification names
  // GTINs, not the catalog: both caches drop them (evicting too much is safe).
  const productAdmin = new ProductAdminService(sql);
  for (const c of [cache, sandbox])
    deps.invalidation.subscribe('products', { changed: (ids) => c.evict(ids), resync: () => c.resync() });
  return {
    name: 'catalog',
    caches: { live: cache, test: sandbox },
    brandWarnings: (brands) => unknownBrandWarnings(sql, brands),
    productAdmin,
    adminRoutes: adminProductRoutes(productAdmin),
    async close() {
      cache.close();
      sandbox.close();
    },
  };
}
