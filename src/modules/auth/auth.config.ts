// The token flow's settings (docs/tokens-and-sessions.md).
import { z } from 'zod';
import { configSection, int, keyRing, requiredSecret, type SectionValue } from '../../platform/config/section.ts';

export const authConfig = configSection(
  {
    /** Signing keys of access tokens (`kid:secret,…`; the first signs). */
    JWT_KEYS: keyRing('JWT_KEYS').optional(),
    /** `iss` of access tokens; tokens of another issuer are rejected. */
    JWT_ISSUER: z.string().min(1).default('kosher-catalog'),
    /** Lifetime of an access token (`expires_in`): one hour, or shorter (to exercise clients' refreshes). */
    ACCESS_TOKEN_TTL_SEC: int(1, 3600).default(3600),
    /** Failed /auth/token exchanges allowed per source IP (and per client_id from that IP) per minute. */
    AUTH_FAILED_PER_MINUTE: z.coerce.number().int().min(1).default(20),
    /** Per-node cache of client rows; at most 5 s so disabling/rotation holds everywhere within 5 s. */
    AUTH_CLIENT_CACHE_MS: int(0, 5000).default(2000),
    /**
     * Per-node cache of client rows (each for AUTH_CLIENT_CACHE_MS): past this many clients the cache starts over.
     * AUTH_CLIENT_CACHE_MS=0 turns it off. ~1 KB per entry.
     */
    AUTH_CLIENT_CACHE_ENTRIES: int(1, 1_000_000).default(50_000),
    /**
     * Per-node cache of verified access tokens (by SHA-256, each until min(exp, 60 s)); revocation is still checked
     * on every request. 0 verifies every request. ~1 KB per entry.
     */
    AUTH_TOKEN_CACHE_ENTRIES: int(0, 1_000_000).default(10_000),
  },
  (e, common, problems) => ({
    jwtKeys: requiredSecret('JWT_KEYS', e.JWT_KEYS, common, problems),
    issuer: e.JWT_ISSUER,
    accessTokenTtlSec: e.ACCESS_TOKEN_TTL_SEC,
    failedPerMinute: e.AUTH_FAILED_PER_MINUTE,
    clientCacheMs: e.AUTH_CLIENT_CACHE_MS,
    clientCacheEntries: e.AUTH_CLIENT_CACHE_ENTRIES,
    tokenCacheEntries: e.AUTH_TOKEN_CACHE_ENTRIES,
  }),
);
export type AuthConfig = SectionValue<typeof authConfig>;
