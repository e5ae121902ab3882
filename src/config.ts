// The only module that reads process.env. Everything else receives a Config.
// A bad value stops start-up with every problem listed at once (see loadConfig).
import { z } from 'zod';
import path from 'node:path';
import os from 'node:os';
import { devSecrets } from './dev-keys.ts';
import { parseRedisUrl } from './kernel/redis-url.ts';

const csv = z.string().transform((s) =>
  s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean),
);

/** `kid:secret,kid:secret`; the first entry signs, every entry verifies (rotation with overlap). */
const keyRing = (name: string) =>
  z.string().transform((s, ctx) => {
    const keys: { kid: string; secret: string }[] = [];
    for (const part of s
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean)) {
      const i = part.indexOf(':');
      const kid = i > 0 ? part.slice(0, i) : '';
      const secret = i > 0 ? part.slice(i + 1) : '';
      if (!/^[A-Za-z0-9_-]{1,32}$/.test(kid) || secret.length < 32) {
        ctx.addIssue({
          code: 'custom',
          message: `${name}: each entry must be kid:secret with a secret of at least 32 characters`,
        });
        return z.NEVER;
      }
      keys.push({ kid, secret });
    }
    if (keys.length === 0) {
      ctx.addIssue({ code: 'custom', message: `${name}: at least one kid:secret` });
      return z.NEVER;
    }
    return keys;
  });

/** Where image bytes live (docs/operations.md#blob-store): parsed from BLOB_STORE_URL. */
export type BlobStoreLocation =
  | { kind: 'fs'; root: string }
  | {
      kind: 's3';
      bucket: string;
      /** Key prefix inside the bucket, without leading or trailing slash ('' = the bucket's root). */
      prefix: string;
      /** S3-compatible endpoint (MinIO, R2, Ceph …); unset = AWS S3 of `region`. */
      endpoint?: string;
      region: string;
      forcePathStyle: boolean;
    };

const S3_PARAMS = new Set(['endpoint', 'region', 'forcePathStyle']);

/**
 * `s3://bucket/prefix?endpoint=http://host:9000&region=us-east-1&forcePathStyle=true` or `file:///absolute/dir`.
 * Credentials never go in the URL (it is logged): S3_ACCESS_KEY_ID/S3_SECRET_ACCESS_KEY or the AWS chain.
 */
const blobStoreUrl = z.string().transform((s, ctx): BlobStoreLocation => {
  const fail = (message: string) => {
    ctx.addIssue({ code: 'custom', message: `BLOB_STORE_URL: ${message}` });
    return z.NEVER;
  };
  let u: URL;
  try {
    u = new URL(s);
  } catch {
    return fail('not a URL; expected s3://bucket/prefix?endpoint=…&region=… or file:///absolute/dir');
  }
  if (u.username || u.password)
    return fail('credentials do not belong in the URL; use S3_ACCESS_KEY_ID/S3_SECRET_ACCESS_KEY');
  if (u.protocol === 'file:') {
    if (u.host || u.search) return fail('file URLs are file:///absolute/dir (no host, no query)');
    let root: string;
    try {
      root = decodeURIComponent(u.pathname);
    } catch {
      return fail('the file path is not valid percent-encoding');
    }
    if (root === '/' || root === '') return fail('file:// needs a directory');
    return { kind: 'fs', root };
  }
  if (u.protocol !== 's3:') return fail(`unsupported scheme ${u.protocol} (s3: or file:)`);
  const bucket = u.hostname;
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) return fail(`"${bucket}" is not a valid bucket name`);
  if (u.port) return fail('the bucket takes no port; put host:port in the endpoint parameter');
  // From the text as written: URL parsing would quietly resolve `a/../b` to `b`.
  const rawPath = s.replace(/^s3:\/\/[^/?#]*/i, '').split(/[?#]/)[0];
  const prefix = rawPath.replace(/^\/+|\/+$/g, '');
  if (
    prefix &&
    (!/^[A-Za-z0-9._/-]{1,512}$/.test(prefix) || prefix.split('/').some((p) => p === '' || p === '.' || p === '..'))
  )
    return fail('the prefix may hold letters, digits and . _ - / (no empty, . or .. segments)');
  for (const k of u.searchParams.keys())
    if (!S3_PARAMS.has(k)) return fail(`unknown parameter "${k}" (endpoint, region, forcePathStyle)`);
  const endpoint = u.searchParams.get('endpoint') ?? undefined;
  if (endpoint !== undefined) {
    let e: URL;
    try {
      e = new URL(endpoint);
    } catch {
      return fail('endpoint must be an http(s) URL such as http://127.0.0.1:9000');
    }
    if (
      (e.protocol !== 'http:' && e.protocol !== 'https:') ||
      e.username ||
      e.password ||
      (e.pathname !== '/' && e.pathname)
    )
      return fail('endpoint must be an http(s) URL such as http://127.0.0.1:9000 (no path, no credentials)');
  }
  const region = u.searchParams.get('region') ?? 'us-east-1';
  if (!/^[a-z0-9-]{2,32}$/.test(region)) return fail(`"${region}" is not a region name`);
  const fps = u.searchParams.get('forcePathStyle');
  if (fps !== null && !['true', 'false', '1', '0'].includes(fps)) return fail('forcePathStyle is true or false');
  // Path-style by default for custom endpoints: MinIO, Ceph and most self-hosted stores have no bucket DNS names.
  const forcePathStyle = fps === null ? endpoint !== undefined : fps === 'true' || fps === '1';
  return { kind: 's3', bucket, prefix, endpoint, region, forcePathStyle };
});

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** Plain-HTTP port that only redirects to HTTPS (used only with TLS). */
  HTTP_REDIRECT_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  TLS_CERT_FILE: z.string().optional(),
  TLS_KEY_FILE: z.string().optional(),
  /** Unset: an embedded PostgreSQL is started with its data under DATA_DIR. */
  DATABASE_URL: z.string().url().optional(),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(16),
  /**
   * Debit batches in flight at once per process (docs/billing.md#the-atomic-debit): batches of different accounts
   * commit side by side, one batch per account at a time. Each takes a pooled connection while it commits, so
   * the app uses at most half of DATABASE_POOL_SIZE for them. Default 1: with one database and no contention one
   * batch at a time makes the biggest batches (test/bench/debit-pipeline.bench.ts: 32.7k vs 23.9k debits/s over 8
   * accounts at depth 1 vs 4); more keeps other accounts moving while one is locked by another node.
   */
  DEBIT_PIPELINE_DEPTH: z.coerce.number().int().min(1).max(32).default(1),
  /**
   * Unset: in-process stand-ins for shared short-lived state (one process only). `redis://host:port` for one Redis,
   * `redis+cluster://host:port,host:port` for a Redis Cluster (docs/operations.md#shared-state).
   */
  REDIS_URL: z
    .string()
    .superRefine((s, ctx) => {
      try {
        parseRedisUrl(s);
      } catch (e) {
        ctx.addIssue({ code: 'custom', message: (e as Error).message });
      }
    })
    .optional(),
  DATA_DIR: z.string().default(path.resolve('.data')),
  /** Bearer token of the admin API. Unset: a random one is generated at start-up and printed once. */
  ADMIN_TOKEN: z.string().min(24).optional(),
  JWT_KEYS: keyRing('JWT_KEYS').optional(),
  IMAGE_URL_KEYS: keyRing('IMAGE_URL_KEYS').optional(),
  IMAGE_MARK_KEYS: keyRing('IMAGE_MARK_KEYS').optional(),
  /** Base of signed image URLs as clients see it, e.g. https://api.example.com. Default: the request's own host. */
  PUBLIC_BASE_URL: z.string().url().optional(),
  /** Per-node in-memory cache of hot image renditions (delivery sends cached Buffers), in MiB. */
  IMAGE_CACHE_MB: z.coerce.number().int().min(0).max(65536).default(128),
  /** Blob-store space of client-marked renditions (one per image, size, format, client), in MiB; oldest deleted beyond it. */
  MARKED_CACHE_MB: z.coerce.number().min(0).max(16_777_216).default(2048),
  TRUSTED_PROXIES: csv.default([]),
  /** GraphiQL at GET /graphql for browsers (self-hosted, works offline). Default: on, except in production. */
  GRAPHIQL: z.enum(['0', '1']).optional(),
  /** Persisted GraphQL operations: a JSON manifest `{ "<id>": "<document>" }` (docs/graphql.md#persisted-operations). */
  PERSISTED_OPERATIONS_FILE: z.string().optional(),
  /** `1`: /graphql runs only persisted operations; a sent document is refused. Default `0`. */
  PERSISTED_OPERATIONS_ONLY: z.enum(['0', '1']).default('0'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /**
   * Products seeded into an empty catalog by `npm start`, which then also creates a demo client on an empty
   * database. 0 disables both. Default 300, and 0 in production (docs/operations.md#safe-production-defaults).
   */
  DEMO_PRODUCTS: z.coerce.number().int().min(0).max(100000).optional(),
  SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).default(10000),
  /**
   * API processes on this node, all serving the same ports (node:cluster; docs/operations.md#worker-processes).
   * `auto`: one per core (os.availableParallelism()). More than 1 needs REDIS_URL (src/main.ts refuses otherwise).
   */
  WORKERS: z
    .string()
    .default('1')
    .transform((s, ctx) => {
      if (s === 'auto') return Math.min(64, os.availableParallelism());
      const n = Number(s);
      if (Number.isInteger(n) && n >= 1 && n <= 64) return n;
      ctx.addIssue({ code: 'custom', message: 'must be auto or a whole number from 1 to 64' });
      return z.NEVER;
    }),
  /** Rate-limit window lengths (docs/limits.md#rate-limit-buckets: a minute and a UTC day). Shorter only in tests of the reset. */
  RATE_LIMIT_MINUTE_WINDOW_SEC: z.coerce.number().int().min(1).max(3600).default(60),
  RATE_LIMIT_DAY_WINDOW_SEC: z.coerce.number().int().min(1).max(86400).default(86400),
  /** Per-IP minute budget of unauthenticated /api/v1 requests (public routes, failed authentication). */
  RATE_LIMIT_IP_PER_MINUTE: z.coerce.number().int().min(1).default(300),
  /**
   * Lifetime of an access token (`expires_in`), seconds. 3600 as the contract says; shorter only so tests (the
   * reference clients' live suites) can watch a token expire and be refreshed.
   */
  ACCESS_TOKEN_TTL_SEC: z.coerce.number().int().min(1).max(86400).default(3600),
  /** `iss` of access tokens; tokens of another issuer are rejected. */
  JWT_ISSUER: z.string().min(1).default('kosher-catalog'),
  /** How long the previous API key keeps working after a rotation. */
  API_KEY_OVERLAP_SEC: z.coerce.number().int().min(0).default(86400),
  /** Failed /auth/token exchanges allowed per source IP (and per client_id from that IP) per minute. */
  AUTH_FAILED_PER_MINUTE: z.coerce.number().int().min(1).default(20),
  /** Wrong admin tokens allowed per source IP per minute; then 429 with Retry-After for the rest of it. */
  ADMIN_AUTH_FAILED_PER_MINUTE: z.coerce.number().int().min(1).default(20),
  /** With ADMIN_PORT: /admin/v1 is served only on this private listener, and the public one answers 404. */
  ADMIN_HOST: z.string().default('127.0.0.1'),
  ADMIN_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  /** Per-node cache of client rows; at most 5 s so disabling/rotation holds everywhere within 5 s. */
  AUTH_CLIENT_CACHE_MS: z.coerce.number().int().min(0).max(5000).default(2000),
  /**
   * Fallback polls of the per-node caches (docs/operations.md#cache-invalidation-across-nodes). NOTIFY evicts
   * at once; these bound staleness while notifications are lost. Catalog: how often a node looks for products
   * changed since its last look. Pricing: how long a node keeps the rates (at most 5 s, the contract's bound).
   */
  CATALOG_POLL_MS: z.coerce.number().int().min(100).max(60_000).default(1000),
  /**
   * Per-node cache of catalog records (docs/operations.md#memory): products kept, oldest dropped first; ~1.8 KB
   * each (a 25k catalog ~45 MB). 0 reads every product from the database.
   */
  CATALOG_CACHE_ENTRIES: z.coerce.number().int().min(0).max(10_000_000).default(100_000),
  /**
   * V8's old generation grows this many percent past what the last full GC left alive before the next one
   * (docs/operations.md#memory). 0: V8's own choice (up to 4x on a large host: peaks of mostly garbage).
   */
  HEAP_GROWING_PERCENT: z.coerce.number().int().min(0).max(1000).default(100),
  PRICING_REFRESH_MS: z.coerce.number().int().min(100).max(5000).default(2000),
  /**
   * Per-node cache of verified access tokens (by SHA-256, each until min(exp, 60 s)); revocation is still checked
   * on every request. 0 verifies every request. ~1 KB per entry.
   */
  AUTH_TOKEN_CACHE_ENTRIES: z.coerce.number().int().min(0).max(1_000_000).default(10_000),
  /**
   * Per-node cache of client rows (each for AUTH_CLIENT_CACHE_MS): past this many clients the cache starts over.
   * AUTH_CLIENT_CACHE_MS=0 turns it off. ~1 KB per entry.
   */
  AUTH_CLIENT_CACHE_ENTRIES: z.coerce.number().int().min(1).max(1_000_000).default(50_000),
  /** auto: human-readable lines on a terminal, JSON otherwise (docs/operations.md#logs). */
  LOG_FORMAT: z.enum(['auto', 'json', 'pretty']).default('auto'),
  /**
   * Traces (docs/operations.md#traces): an OTLP collector's base URL, e.g. http://otel-collector:4318; spans go
   * to <url>/v1/traces. Unset: tracing is off and costs nothing. Acted on by src/telemetry/register.ts (the
   * `npm start` preload, which must start the SDK before anything is imported); validated here. The SDK also
   * reads the other standard OTEL_* variables (OTEL_EXPORTER_OTLP_PROTOCOL, _HEADERS, OTEL_TRACES_SAMPLER, …).
   */
  OTEL_EXPORTER_OTLP_ENDPOINT: z.string().url().optional(),
  /** `service.name` of the exported spans. */
  OTEL_SERVICE_NAME: z.string().min(1).default('kosher-catalog'),
  // Blob store (docs/operations.md#blob-store): image masters and renditions. Unset: files under <DATA_DIR>/blobs,
  // right for one node; several nodes share an S3-compatible bucket instead.
  BLOB_STORE_URL: blobStoreUrl.optional(),
  /** With an s3:// BLOB_STORE_URL: static credentials. Unset: the AWS SDK's default chain (AWS_* variables, profile, instance role). */
  S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  // Webhooks (docs/webhooks.md). The signing secrets of subscriptions are stored encrypted under this key ring.
  WEBHOOK_SECRET_KEYS: keyRing('WEBHOOK_SECRET_KEYS').optional(),
  /** Allow http and loopback/private targets (development, tests). Default: on outside production only. */
  WEBHOOKS_ALLOW_LOCAL: z
    .enum(['0', '1', 'true', 'false'])
    .transform((v) => v === '1' || v === 'true')
    .optional(),
  /** Run the delivery dispatcher in this process (every API node does by default). */
  WEBHOOKS_DISPATCHER: z
    .enum(['0', '1', 'true', 'false'])
    .transform((v) => v === '1' || v === 'true')
    .default(true),
  /** How often an idle dispatcher looks for due deliveries (LISTEN/NOTIFY wakes it sooner). */
  WEBHOOKS_POLL_MS: z.coerce.number().int().min(10).max(60_000).default(1000),
  WEBHOOKS_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
  /** Deliveries in flight per node. */
  WEBHOOKS_CONCURRENCY: z.coerce.number().int().min(1).max(1000).default(64),
  /** First retry delay; doubled per attempt (with jitter) up to WEBHOOKS_RETRY_MAX_MS. */
  WEBHOOKS_RETRY_BASE_MS: z.coerce.number().int().min(10).default(5000),
  WEBHOOKS_RETRY_MAX_MS: z.coerce.number().int().min(10).default(3_600_000),
  /** A delivery failing this long is given up; a subscription failing this long is disabled (3 days). */
  WEBHOOKS_GIVE_UP_SEC: z.coerce.number().int().min(1).default(259_200),
  /** Events and finished deliveries older than this are deleted (replay reaches back this far). */
  WEBHOOKS_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
});

export type RawConfig = z.infer<typeof schema>;
export interface KeyEntry {
  kid: string;
  secret: string;
}

type ParsedKeys =
  | 'JWT_KEYS'
  | 'IMAGE_URL_KEYS'
  | 'IMAGE_MARK_KEYS'
  | 'WEBHOOK_SECRET_KEYS'
  | 'WEBHOOKS_ALLOW_LOCAL'
  | 'DEMO_PRODUCTS';
export interface Config extends Omit<RawConfig, ParsedKeys> {
  DEMO_PRODUCTS: number;
  JWT_KEYS: KeyEntry[];
  IMAGE_URL_KEYS: KeyEntry[];
  IMAGE_MARK_KEYS: KeyEntry[];
  WEBHOOK_SECRET_KEYS: KeyEntry[];
  WEBHOOKS_ALLOW_LOCAL: boolean;
  /** The secrets that were not configured and came from the development key file (never in production). */
  generatedSecrets: string[];
  /** <DATA_DIR>/dev-keys.json when it supplied any secret. */
  devKeysFile?: string;
}

export class ConfigError extends Error {
  constructor(public readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/**
 * Parses an environment (default: process.env). Throws ConfigError listing every problem. Outside production, an
 * unset key ring or ADMIN_TOKEN comes from <DATA_DIR>/dev-keys.json (src/dev-keys.ts), or from `randomSecret`
 * when one is given (tests that must not touch a DATA_DIR).
 */
export function loadConfig(env: Record<string, string | undefined> = process.env, randomSecret?: () => string): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = schema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.') || '(env)'}: ${i.message}`));
  }
  const c = parsed.data;
  const missingProd: string[] = [];
  if (c.NODE_ENV === 'production') {
    for (const k of ['JWT_KEYS', 'IMAGE_URL_KEYS', 'IMAGE_MARK_KEYS', 'ADMIN_TOKEN', 'WEBHOOK_SECRET_KEYS'] as const) {
      if (!c[k]) missingProd.push(`${k}: required in production`);
    }
  }
  if ((c.TLS_CERT_FILE && !c.TLS_KEY_FILE) || (!c.TLS_CERT_FILE && c.TLS_KEY_FILE)) {
    missingProd.push('TLS_CERT_FILE and TLS_KEY_FILE: set both or neither');
  }
  if (!c.S3_ACCESS_KEY_ID !== !c.S3_SECRET_ACCESS_KEY) {
    missingProd.push('S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY: set both or neither');
  }
  if (missingProd.length) throw new ConfigError(missingProd);
  const unset = (
    ['JWT_KEYS', 'IMAGE_URL_KEYS', 'IMAGE_MARK_KEYS', 'WEBHOOK_SECRET_KEYS', 'ADMIN_TOKEN'] as const
  ).filter((k) => !c[k]);
  let dev: Record<string, string> = {};
  let devKeysFile: string | undefined;
  if (unset.length && randomSecret) dev = Object.fromEntries(unset.map((k) => [k, randomSecret()]));
  else if (unset.length) {
    try {
      ({ secrets: dev, file: devKeysFile } = devSecrets(c.DATA_DIR, [...unset]));
    } catch (e) {
      throw new ConfigError([`development keys: ${(e as Error).message}`]);
    }
  }
  const ring = (name: 'JWT_KEYS' | 'IMAGE_URL_KEYS' | 'IMAGE_MARK_KEYS' | 'WEBHOOK_SECRET_KEYS'): KeyEntry[] =>
    c[name] ?? [{ kid: 'dev', secret: dev[name] }];
  return {
    ...c,
    JWT_KEYS: ring('JWT_KEYS'),
    IMAGE_URL_KEYS: ring('IMAGE_URL_KEYS'),
    IMAGE_MARK_KEYS: ring('IMAGE_MARK_KEYS'),
    WEBHOOK_SECRET_KEYS: ring('WEBHOOK_SECRET_KEYS'),
    WEBHOOKS_ALLOW_LOCAL: c.WEBHOOKS_ALLOW_LOCAL ?? c.NODE_ENV !== 'production',
    ADMIN_TOKEN: c.ADMIN_TOKEN ?? dev.ADMIN_TOKEN,
    DEMO_PRODUCTS: c.DEMO_PRODUCTS ?? (c.NODE_ENV === 'production' ? 0 : 300),
    generatedSecrets: [...unset],
    devKeysFile,
  };
}
