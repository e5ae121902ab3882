// A per-node cache of catalog records in front of productsByGtin. Paid reads and bulk-checks touch the same
// 25k products over and over; serving them from memory takes the catalog query off the hot path. Misses go
// through one process-wide DataLoader: the misses of every plan that runs in the same tick (concurrent
// requests, not only one request's barcodes) are loaded by one query.
// Correctness (docs/operations.md#cache-invalidation-across-nodes): a committed write to a product or its images
// is announced on `kc_invalidate` and evicted here at once (`evict`, through src/platform/db/invalidation-listener.ts).
// The fallback is a poll: every write moves products.updated_at (the image trigger makes sure of that), and
// each node polls for rows changed recently and evicts them, so a change is served everywhere within about
// pollMs even while notifications are lost; after the LISTEN connection comes back `resync` polls at once. The
// poll looks back OVERLAP_MS because updated_at is the writing transaction's start time, which can be earlier
// than its commit.
import DataLoader from 'dataloader';
import type { Counters } from '../../kernel/counters.ts';
import type { Logger } from '../../kernel/logger.ts';
import type { Sql } from '../../platform/db/client.ts';
import { readWithRetry } from '../../platform/db/read-retry.ts';
import type { CatalogMetrics } from './catalog.metrics.ts';
import { productsByGtin } from './product.repository.ts';
import type { ProductRecord } from './product.types.ts';
import { RecordCompactor } from './record-compactor.ts';

const POLL_MS = 1000;
const OVERLAP_MS = 60_000;

export interface CatalogCacheOptions {
  /** Products (and "not in the catalog" answers) kept, oldest dropped first (CATALOG_CACHE_ENTRIES). */
  maxEntries?: number;
  /** The fallback poll (CATALOG_POLL_MS); notifications evict at once. */
  pollMs?: number;
  /** Counts the catalog queries this cache runs ('catalog.lookups'). */
  counters?: Counters;
  /** Hits and misses of this cache (kc_catalog_cache_requests_total). */
  metrics?: Pick<CatalogMetrics, 'catalogCache'>;
}

const DEFAULT_MAX_ENTRIES = 100_000;

/** Largest miss batch per query: a plan has at most 500 distinct barcodes, so one plan is one query. */
const MAX_MISS_BATCH = 1000;

export class CatalogCache {
  /** gtin14 -> record, or null for "not in the catalog" (evicted too when the product appears). */
  private readonly entries = new Map<string, ProductRecord | null>();
  readonly maxEntries: number;
  /** Kept records share their repeated values (record-compactor.ts): ~1.8 KB a product instead of ~3 KB. */
  private readonly compactor = new RecordCompactor();
  private watermark: Date | null = null;
  private timer: NodeJS.Timeout | null = null;
  private polling: Promise<void> | null = null;
  /** Miss loads running now; while there are any, evictions are remembered (evictedAt) so that a load that
   *  read a row before its change committed does not put the old record back after the eviction. */
  private loadsInFlight = 0;
  private evictions = 0;
  private readonly evictedAt = new Map<string, number>();
  private clearedAt = 0;
  /** Coalesces the misses of one tick; no cache of its own (the entries map is the cache). */
  private readonly misses: DataLoader<string, ProductRecord | null>;

  constructor(
    private readonly sql: Sql,
    private readonly log: Logger,
    private readonly opts: CatalogCacheOptions = {},
  ) {
    this.maxEntries = opts.maxEntries ?? DEFAULT_MAX_ENTRIES;
    this.misses = new DataLoader((keys) => this.loadMisses(keys), { cache: false, maxBatchSize: MAX_MISS_BATCH });
    this.timer = setInterval(() => void this.resync(), opts.pollMs ?? POLL_MS);
    this.timer.unref();
  }

  /** Records for the given GTIN-14s; the misses are loaded in one query. */
  async load(gtins: readonly string[]): Promise<Map<string, ProductRecord | null>> {
    const out = new Map<string, ProductRecord | null>();
    const misses: string[] = [];
    for (const g of gtins) {
      const e = this.entries.get(g);
      if (e === undefined) misses.push(g);
      else out.set(g, e);
    }
    const m = this.opts.metrics?.catalogCache;
    if (m) {
      if (out.size) m.inc({ result: 'hit' }, out.size);
      if (misses.length) m.inc({ result: 'miss' }, misses.length);
    }
    if (misses.length === 0) return out;
    const loaded = await this.misses.loadMany(misses);
    misses.forEach((g, i) => {
      const r = loaded[i];
      if (r instanceof Error) throw r;
      out.set(g, r);
    });
    return out;
  }

  /** One query for the misses of every plan of this tick (keys may repeat: two plans missed one product). */
  private async loadMisses(keys: readonly string[]): Promise<(ProductRecord | null)[]> {
    this.loadsInFlight++;
    const seen = this.evictions;
    try {
      // Take the watermark before loading: a change racing with this load is then seen by the next poll.
      this.watermark ??= await this.dbNow();
      const distinct = [...new Set(keys)];
      this.opts.counters?.inc('catalog.lookups');
      const found = await readWithRetry(() => productsByGtin(this.sql, distinct));
      // Evicted while loading: the row may have been read before the change committed. This request still gets
      // what it read (it began before the commit); the next one loads again.
      const stale = (g: string) => this.clearedAt > seen || (this.evictedAt.get(g) ?? 0) > seen;
      for (const g of distinct) if (!stale(g)) this.remember(g, found.get(g) ?? null);
      return keys.map((g) => found.get(g) ?? null);
    } finally {
      if (--this.loadsInFlight === 0) this.evictedAt.clear();
    }
  }

  /** Drops these products (GTIN-14s), or every entry (null): they changed in a committed transaction. */
  evict(gtins: readonly string[] | null): void {
    this.evictions++;
    if (gtins === null) {
      this.entries.clear();
      this.clearedAt = this.evictions;
      return;
    }
    for (const g of gtins) {
      this.entries.delete(g);
      if (this.loadsInFlight > 0) this.evictedAt.set(g, this.evictions);
    }
  }

  /** Notifications may have been missed (the LISTEN connection was down): poll now instead of at the next tick. */
  resync(): Promise<void> {
    this.polling ??= this.poll().finally(() => {
      this.polling = null;
    });
    return this.polling;
  }

  /** Entries held now (kc_cache_entries{cache="catalog"}). */
  get size(): number {
    return this.entries.size;
  }

  private remember(g: string, r: ProductRecord | null): void {
    if (this.maxEntries === 0) return;
    if (this.entries.size >= this.maxEntries) {
      // Oldest first: Map keeps insertion order.
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(g, r && this.compactor.compact(r));
  }

  private async dbNow(): Promise<Date> {
    const [{ now }] = await this.sql<{ now: Date }[]>`/* catalogCacheNow */ select now() as now`;
    return now;
  }

  /** Evicts every product changed since the watermark (minus the overlap). */
  async poll(): Promise<void> {
    if (!this.watermark || this.entries.size === 0) return;
    try {
      const since = new Date(this.watermark.getTime() - OVERLAP_MS);
      const now = await this.dbNow();
      const rows = await this.sql<{ gtin14: string }[]>`/* catalogChangedSince */
        select gtin14 from products where updated_at >= ${since}`;
      if (rows.length) this.evict(rows.map((r) => r.gtin14));
      this.watermark = now;
    } catch (e) {
      // Keep serving; a failed poll is retried next tick with the same watermark. If polls keep failing the
      // database is down and paid reads fail on their debit anyway.
      this.log.warn({ err: e }, 'catalog cache poll failed');
    }
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.entries.clear();
  }
}
