// Failed credential checks are limited per source (credential stuffing, key guessing): the token exchange per
// IP and per (client_id, IP), the admin API per IP. Only failures count; successful exchanges count against
// the client's own rate-limit buckets. See docs/tokens-and-sessions.md#login-throttle
import { type RateLimiterAbstract, RateLimiterRedis } from 'rate-limiter-flexible';
import { AppError } from '../../kernel/errors.ts';
import type { SharedState } from './shared-state.ts';

/** What the check needs of the ioredis client behind a RateLimiterRedis (its `client`). */
interface CounterClient {
  status?: string;
  isCluster?: boolean;
  mget?: (...keys: string[]) => Promise<(string | null)[]>;
}

export class LoginThrottle {
  private readonly limiter: RateLimiterAbstract;

  constructor(
    state: SharedState,
    private readonly perMinute: number,
    keyPrefix = 'auth-fail',
  ) {
    this.limiter = state.rateLimiter({ keyPrefix, points: perMinute, durationSec: 60 });
  }

  /** Throws 429 rate_limited when any of the keys already used up its failures for this minute. */
  async assertAllowed(keys: string[]): Promise<void> {
    // Every exchange checks, and nearly every check passes: the counts alone decide that, read in one command.
    // Only a key at its budget needs the time its window has left (Retry-After), read as before.
    const counts = await this.failureCounts(keys);
    const full = counts ? keys.filter((_, i) => counts[i] >= this.perMinute) : keys;
    if (full.length === 0) return;
    const states = await Promise.all(full.map((k) => this.limiter.get(k)));
    let waitMs = 0;
    for (const s of states) if (s && s.consumedPoints >= this.perMinute) waitMs = Math.max(waitMs, s.msBeforeNext);
    if (waitMs > 0) {
      const retry = String(Math.max(1, Math.ceil(waitMs / 1000)));
      throw new AppError('rate_limited', 'Too many failed attempts. Retry later.', { 'Retry-After': retry });
    }
  }

  async recordFailure(keys: string[]): Promise<void> {
    await Promise.all(keys.map((k) => this.limiter.penalty(k, 1)));
  }

  /**
   * The failures counted under each key, with one MGET of the limiter's own keys (its get costs a MULTI of GET
   * and PTTL per key). Null where that does not apply, and the limiter's get is used instead: the in-process
   * store, a Redis Cluster (the keys carry no common bucket), or a connection that is not ready (the limiter
   * fails at once then, where a queued MGET would wait).
   */
  private async failureCounts(keys: string[]): Promise<number[] | null> {
    if (!(this.limiter instanceof RateLimiterRedis)) return null;
    const client = (this.limiter as unknown as { client?: CounterClient }).client;
    if (!client?.mget || client.isCluster || client.status !== 'ready') return null;
    const values = await client.mget(...keys.map((k) => this.limiter.getKey(k)));
    return values.map((v) => (v === null ? 0 : Number.parseInt(v, 10)));
  }
}
