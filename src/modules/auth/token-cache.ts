// Per-node cache of verified access tokens (docs/tokens-and-sessions.md#access-tokens). Verifying a token is
// pure CPU (canonical-form checks, an HMAC, JSON, claim rules) and a client sends the same token for up to an
// hour, so each node verifies it once and then finds it by the SHA-256 of its text. Only what verification
// proves is cached (the claims); revocation marks and the client's controls are still read on every request.
// An entry lives until min(exp, now + TOKEN_CACHE_TTL_MS): never past the token's own expiry. Bounded LRU:
// AUTH_TOKEN_CACHE_ENTRIES entries (0 turns it off); failures are never cached, so forged tokens cannot fill it.
import { createHash } from 'node:crypto';
import type { AccessClaims } from './jwt.ts';

/** Re-verify a cached token at least this often (keeps clock-dependent rules near their first answer). */
const TOKEN_CACHE_TTL_MS = 60_000;
/** Longer texts are never valid tokens (verifyJwt refuses them): not worth hashing or caching. */
const MAX_CACHED_CHARS = 4096;

interface Entry {
  claims: AccessClaims;
  until: number;
}

export class VerifiedTokenCache {
  private readonly map = new Map<string, Entry>();

  constructor(
    readonly maxEntries: number,
    private readonly onLookup?: (hit: boolean) => void,
    private readonly ttlMs = TOKEN_CACHE_TTL_MS,
  ) {}

  get size(): number {
    return this.map.size;
  }

  /** The claims of `token` as `verify` would return them, from the cache when a live entry is there. */
  async verify(
    token: string,
    verify: (token: string) => Promise<AccessClaims | null>,
    nowMs = Date.now(),
  ): Promise<AccessClaims | null> {
    if (this.maxEntries === 0 || token.length > MAX_CACHED_CHARS) return verify(token);
    const key = createHash('sha256').update(token).digest('base64');
    const hit = this.map.get(key);
    if (hit) {
      this.map.delete(key);
      if (nowMs < hit.until) {
        this.map.set(key, hit); // most recently used goes last
        this.onLookup?.(true);
        return hit.claims;
      }
    }
    this.onLookup?.(false);
    const claims = await verify(token);
    if (claims) {
      if (this.map.size >= this.maxEntries) this.map.delete(this.map.keys().next().value as string);
      this.map.set(key, { claims, until: Math.min(claims.exp * 1000, nowMs + this.ttlMs) });
    }
    return claims;
  }
}
