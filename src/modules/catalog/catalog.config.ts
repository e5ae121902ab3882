// The per-node catalog cache (docs/operations.md#memory, #cache-invalidation-across-nodes).
import { configSection, int, type SectionValue } from '../../platform/config/section.ts';

export const catalogConfig = configSection(
  {
    /**
     * Fallback poll: how often a node looks for products changed since its last look. NOTIFY evicts at once;
     * this bounds staleness while notifications are lost.
     */
    CATALOG_POLL_MS: int(100, 60_000).default(1000),
    /** Products kept, oldest dropped first; ~1.8 KB each (a 25k catalog ~45 MB). 0 reads every product from the database. */
    CATALOG_CACHE_ENTRIES: int(0, 10_000_000).default(100_000),
  },
  (e) => ({ pollMs: e.CATALOG_POLL_MS, cacheEntries: e.CATALOG_CACHE_ENTRIES }),
);
export type CatalogConfig = SectionValue<typeof catalogConfig>;
