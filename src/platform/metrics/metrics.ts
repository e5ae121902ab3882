// What an operator can measure from outside (docs/operations.md#metrics): one prom-client Registry per app, built
// by the composition root and handed to whoever counts, never the library's global default registry (two apps in
// one process, as in tests, never share a number). Exposed as Prometheus text at /metrics (admin token).

import type { Aggregator } from 'prom-client';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { Counters } from '../../kernel/counters.ts';

/** Seconds; from a 1 ms cache hit to a multi-second cold AVIF render. */
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * How this process answers a scrape, given its own registry once at start: by default that registry's text; a
 * cluster worker (WORKERS > 1) answers with the sum over every worker of the node (src/main/cluster/cluster-metrics.ts).
 */
export type MetricsExposition = (own: Registry) => () => Promise<string>;

export class Metrics {
  readonly registry = new Registry();
  private readonly exposition: () => Promise<string>;

  readonly httpRequests = new Counter({
    name: 'kc_http_requests_total',
    help: 'HTTP requests answered, by method, route template and status.',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });
  readonly httpDuration = new Histogram({
    name: 'kc_http_request_duration_seconds',
    help: 'Time from the request to the end of its response, by method and route template.',
    labelNames: ['method', 'route'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  readonly sharedStateErrors = new Counter({
    name: 'kc_shared_state_errors_total',
    help: 'Failed shared-state (Redis or in-process) operations, by operation.',
    labelNames: ['op'] as const,
    registers: [this.registry],
  });
  readonly databaseErrors = new Counter({
    name: 'kc_database_errors_total',
    help: 'Database failures seen: by where (request, debit, health).',
    labelNames: ['where'] as const,
    registers: [this.registry],
  });

  readonly cacheLookups = new Counter({
    name: 'kc_cache_lookups_total',
    help: 'Lookups in the bounded per-node caches, by cache (auth_tokens, billing_plans) and result (hit, miss).',
    labelNames: ['cache', 'result'] as const,
    registers: [this.registry],
  });
  private readonly cacheSizes = new Map<string, { max: number; size: () => number }>();
  private readonly cacheBytesOf = new Map<string, { max: number; bytes: () => number }>();

  /** Counts read synchronously (tests, the cluster summary), each mirrored into a counter of the registry. */
  readonly counters: Counters;

  constructor(exposition?: MetricsExposition) {
    // Process metrics under their standard names (process_*, nodejs_*: what stock dashboards and alerts expect),
    // among them event-loop lag (nodejs_eventloop_lag_seconds, _p99_seconds), CPU, heap, handles.
    collectDefaultMetrics({ register: this.registry });
    this.counters = new Counters();
    this.exposition = exposition ? exposition(this.registry) : () => this.registry.metrics();
    const sizes = this.cacheSizes;
    new Gauge({
      name: 'kc_cache_entries',
      help: 'Entries held now by each bounded per-node cache.',
      labelNames: ['cache'],
      registers: [this.registry],
      collect() {
        for (const [cache, c] of sizes) this.set({ cache }, c.size());
      },
    });
    new Gauge({
      name: 'kc_cache_max_entries',
      help: 'The configured bound of each per-node cache (0: off).',
      labelNames: ['cache'],
      registers: [this.registry],
      collect() {
        for (const [cache, c] of sizes) this.set({ cache }, c.max);
      },
    });
    const bytes = this.cacheBytesOf;
    new Gauge({
      name: 'kc_cache_bytes',
      help: 'Bytes held now by each per-node cache bounded by size (image renditions).',
      labelNames: ['cache'],
      registers: [this.registry],
      collect() {
        for (const [cache, c] of bytes) this.set({ cache }, c.bytes());
      },
    });
    new Gauge({
      name: 'kc_cache_max_bytes',
      help: 'The configured bound in bytes of each per-node cache bounded by size (0: off).',
      labelNames: ['cache'],
      registers: [this.registry],
      collect() {
        for (const [cache, c] of bytes) this.set({ cache }, c.max);
      },
    });
  }

  /** A counter of a module's own, in this app's registry (docs/operations.md#metrics lists them). */
  counter<L extends string = never>(cfg: { name: string; help: string; labelNames?: readonly L[] }): Counter<L> {
    return new Counter<L>({ ...cfg, labelNames: cfg.labelNames ?? [], registers: [this.registry] });
  }

  /** A counter whose count `counters.get(countName)` also reads. */
  countedCounter(countName: string, cfg: { name: string; help: string }): Counter {
    const c = this.counter(cfg);
    this.counters.mirror(countName, (by) => c.inc(by));
    return c;
  }

  /** A histogram of a module's own (LATENCY_BUCKETS unless given). */
  histogram<L extends string = never>(cfg: {
    name: string;
    help: string;
    labelNames?: readonly L[];
    buckets?: number[];
  }): Histogram<L> {
    return new Histogram<L>({
      ...cfg,
      labelNames: cfg.labelNames ?? [],
      buckets: cfg.buckets ?? LATENCY_BUCKETS,
      registers: [this.registry],
    });
  }

  /** Publishes a bounded cache's size and bound (kc_cache_entries, kc_cache_max_entries). */
  cacheSize(cache: string, max: number, size: () => number): void {
    this.cacheSizes.set(cache, { max, size });
  }

  /** Publishes a cache bounded by bytes: its size and bound (kc_cache_bytes, kc_cache_max_bytes). */
  cacheBytes(cache: string, max: number, bytes: () => number): void {
    this.cacheBytesOf.set(cache, { max, bytes });
  }

  /** The Prometheus text exposition (of this process, or of every worker of the node). */
  text(): Promise<string> {
    return this.exposition();
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /**
   * A gauge sampled at scrape time (`sample` may query the database): for numbers another component keeps,
   * such as the webhook dispatcher's counters and the delivery queue. `across` says how the workers of a node
   * combine: `sum` for per-process numbers, `first` for numbers every process reads from the same database.
   */
  sampled(
    name: string,
    help: string,
    label: string,
    across: Extract<Aggregator, 'sum' | 'first'>,
    sample: () => Promise<Record<string, number>>,
  ): void {
    new Gauge({
      name,
      help,
      labelNames: [label],
      aggregator: across,
      registers: [this.registry],
      async collect() {
        for (const [k, v] of Object.entries(await sample())) this.set({ [label]: k }, v);
      },
    });
  }
}
