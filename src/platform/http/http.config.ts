// The HTTP listeners (docs/operations.md#configuration): where the API listens, TLS, trusted proxies, the public
// base URL of signed links, the private admin listener, and how long a stop waits for in-flight requests.
import { z } from 'zod';
import { configSection, csv, int, requiredSecret, type SectionValue } from '../config/section.ts';

/** An exact browser origin as the Origin header spells it: scheme, host, optional port, nothing else. */
const ORIGIN = /^https?:\/\/[A-Za-z0-9.-]{1,253}(:\d{1,5})?$|^https?:\/\/\[[0-9A-Fa-f:.]{2,45}\](:\d{1,5})?$/;

export const httpConfig = configSection(
  {
    HOST: z.string().default('127.0.0.1'),
    PORT: int(0, 65535).default(3000),
    /** Plain-HTTP port that only redirects to HTTPS (used only with TLS). */
    HTTP_REDIRECT_PORT: int(0, 65535).optional(),
    TLS_CERT_FILE: z.string().optional(),
    TLS_KEY_FILE: z.string().optional(),
    TRUSTED_PROXIES: csv.default([]),
    /** Base of signed image URLs as clients see it, e.g. https://api.example.com. Default: the request's own host. */
    PUBLIC_BASE_URL: z.string().url().optional(),
    SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).default(10000),
    /**
     * Browser origins that may call /api/v1 and /graphql (docs/rest.md#cors): exact `scheme://host[:port]`,
     * comma-separated, at most 100. Unset: none in production, any origin (without credentials) otherwise.
     */
    CORS_ORIGINS: csv.optional(),
  },
  (e, common, problems) => {
    if (!e.TLS_CERT_FILE !== !e.TLS_KEY_FILE) problems.push('TLS_CERT_FILE and TLS_KEY_FILE: set both or neither');
    const origins = e.CORS_ORIGINS ?? [];
    const bad = origins.filter((o) => !ORIGIN.test(o));
    if (bad.length)
      problems.push(`CORS_ORIGINS: not an exact origin (scheme://host[:port]): ${bad.slice(0, 3).join(', ')}`);
    if (origins.length > 100) problems.push('CORS_ORIGINS: at most 100 origins');
    return {
      host: e.HOST,
      port: e.PORT,
      redirectPort: e.HTTP_REDIRECT_PORT,
      tls: e.TLS_CERT_FILE && e.TLS_KEY_FILE ? { certFile: e.TLS_CERT_FILE, keyFile: e.TLS_KEY_FILE } : null,
      trustedProxies: e.TRUSTED_PROXIES,
      publicBaseUrl: e.PUBLIC_BASE_URL,
      shutdownGraceMs: e.SHUTDOWN_GRACE_MS,
      corsOrigins: e.CORS_ORIGINS ?? (common.production ? [] : ('any' as const)),
    };
  },
);
export type HttpConfig = SectionValue<typeof httpConfig>;

/** The operators' door (docs/tokens-and-sessions.md#admin-api): its bearer token and its optional own listener. */
export const adminConfig = configSection(
  {
    /** Bearer token of the admin API. */
    ADMIN_TOKEN: z.string().min(24).optional(),
    /** Wrong admin tokens allowed per source IP per minute; then 429 with Retry-After for the rest of it. */
    ADMIN_AUTH_FAILED_PER_MINUTE: z.coerce.number().int().min(1).default(20),
    /** With ADMIN_PORT: /admin/v1 is served only on this private listener, and the public one answers 404. */
    ADMIN_HOST: z.string().default('127.0.0.1'),
    ADMIN_PORT: int(0, 65535).optional(),
    /** A read-only bearer token that may scrape /metrics and nothing else (docs/operations.md#metrics). */
    METRICS_TOKEN: z.string().min(24).optional(),
  },
  (e, common, problems) => ({
    token: requiredSecret('ADMIN_TOKEN', e.ADMIN_TOKEN, common, problems),
    failedPerMinute: e.ADMIN_AUTH_FAILED_PER_MINUTE,
    host: e.ADMIN_HOST,
    port: e.ADMIN_PORT,
    metricsToken: e.METRICS_TOKEN,
  }),
);
