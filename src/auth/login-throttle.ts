// Failed credential exchanges are limited per source IP and per client_id (credential stuffing, key
// guessing). Only failures count; successful exchanges count against the client's own rate-limit buckets.
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import type { SharedState } from '../shared-state/shared-state.ts';
import { AppError } from '../kernel/errors.ts';

export class LoginThrottle {
  private readonly limiter: RateLimiterAbstract;

  constructor(
    state: SharedState,
    private readonly perMinute: number,
  ) {
    this.limiter = state.rateLimiter({ keyPrefix: 'auth-fail', points: perMinute, durationSec: 60 });
  }

  /** Throws 429 rate_limited when any of the keys already used up its failures for this minute. */
  async assertAllowed(keys: string[]): Promise<void> {
    const states = await Promise.all(keys.map((k) => this.limiter.get(k)));
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
}
