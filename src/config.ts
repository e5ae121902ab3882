// The only module that reads process.env. Everything else receives a Config.
// A bad value stops start-up with every problem listed at once (see loadConfig).
import { z } from 'zod';
import path from 'node:path';

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
  /** Unset: in-process stand-ins for shared short-lived state (one process only). */
  REDIS_URL: z.string().url().optional(),
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
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Products seeded into an empty catalog by `npm start`. 0 disables. */
  DEMO_PRODUCTS: z.coerce.number().int().min(0).max(100000).default(300),
  SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).default(10000),
  /** Rate-limit window lengths (docs/limits.md#rate-limit-buckets: a minute and a UTC day). Shorter only in tests of the reset. */
  RATE_LIMIT_MINUTE_WINDOW_SEC: z.coerce.number().int().min(1).max(3600).default(60),
  RATE_LIMIT_DAY_WINDOW_SEC: z.coerce.number().int().min(1).max(86400).default(86400),
  /** Per-IP minute budget of unauthenticated /api/v1 requests (public routes, failed authentication). */
  RATE_LIMIT_IP_PER_MINUTE: z.coerce.number().int().min(1).default(300),
  /** `iss` of access tokens; tokens of another issuer are rejected. */
  JWT_ISSUER: z.string().min(1).default('kosher-catalog'),
  /** How long the previous API key keeps working after a rotation. */
  API_KEY_OVERLAP_SEC: z.coerce.number().int().min(0).default(86400),
  /** Failed /auth/token exchanges allowed per source IP (and per client_id) per minute. */
  AUTH_FAILED_PER_MINUTE: z.coerce.number().int().min(1).default(20),
  /** Per-node cache of client rows; at most 5 s so disabling/rotation holds everywhere within 5 s. */
  AUTH_CLIENT_CACHE_MS: z.coerce.number().int().min(0).max(5000).default(2000),
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

type ParsedKeys = 'JWT_KEYS' | 'IMAGE_URL_KEYS' | 'IMAGE_MARK_KEYS' | 'WEBHOOK_SECRET_KEYS' | 'WEBHOOKS_ALLOW_LOCAL';
export interface Config extends Omit<RawConfig, ParsedKeys> {
  JWT_KEYS: KeyEntry[];
  IMAGE_URL_KEYS: KeyEntry[];
  IMAGE_MARK_KEYS: KeyEntry[];
  WEBHOOK_SECRET_KEYS: KeyEntry[];
  WEBHOOKS_ALLOW_LOCAL: boolean;
  /** True when the secrets were generated for this process (local development only). */
  generatedSecrets: string[];
}

export class ConfigError extends Error {
  constructor(public readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** Parses an environment (default: process.env). Throws ConfigError listing every problem. */
export function loadConfig(env: Record<string, string | undefined> = process.env, randomSecret?: () => string): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = schema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.') || '(env)'}: ${i.message}`));
  }
  const c = parsed.data;
  const generatedSecrets: string[] = [];
  const gen = randomSecret ?? defaultRandomSecret;
  const ring = (name: string, v: KeyEntry[] | undefined): KeyEntry[] => {
    if (v) return v;
    if (c.NODE_ENV === 'production') throw new ConfigError([`${name}: required in production`]);
    generatedSecrets.push(name);
    return [{ kid: 'dev', secret: gen() }];
  };
  const missingProd: string[] = [];
  if (c.NODE_ENV === 'production') {
    for (const k of ['JWT_KEYS', 'IMAGE_URL_KEYS', 'IMAGE_MARK_KEYS', 'ADMIN_TOKEN', 'WEBHOOK_SECRET_KEYS'] as const) {
      if (!c[k]) missingProd.push(`${k}: required in production`);
    }
  }
  if ((c.TLS_CERT_FILE && !c.TLS_KEY_FILE) || (!c.TLS_CERT_FILE && c.TLS_KEY_FILE)) {
    missingProd.push('TLS_CERT_FILE and TLS_KEY_FILE: set both or neither');
  }
  if (missingProd.length) throw new ConfigError(missingProd);
  return {
    ...c,
    JWT_KEYS: ring('JWT_KEYS', c.JWT_KEYS),
    IMAGE_URL_KEYS: ring('IMAGE_URL_KEYS', c.IMAGE_URL_KEYS),
    IMAGE_MARK_KEYS: ring('IMAGE_MARK_KEYS', c.IMAGE_MARK_KEYS),
    WEBHOOK_SECRET_KEYS: ring('WEBHOOK_SECRET_KEYS', c.WEBHOOK_SECRET_KEYS),
    WEBHOOKS_ALLOW_LOCAL: c.WEBHOOKS_ALLOW_LOCAL ?? c.NODE_ENV !== 'production',
    generatedSecrets,
  };
}

import { randomBytes } from 'node:crypto';
function defaultRandomSecret(): string {
  return randomBytes(32).toString('base64url');
}
