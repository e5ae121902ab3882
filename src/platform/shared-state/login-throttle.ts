// Failed credential checks are limited per source (credential stuffing, key guessing): the token exchange per
// IP and per (client_id, IP), the admin API per IP. Only failures count; successful exchanges count against
// the client's own rate-limit buckets. See docs/tokens-and-sessions.md#login-throttle
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import { AppError } from '../../kernel/errors.ts';
import type { SharedState } from './shared-state.ts';

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
