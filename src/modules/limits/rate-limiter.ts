// Fixed-window request counters shared by every node through SharedState (Redis, or the in-process stand-in).
// Windows are aligned to the Unix epoch, so the day bucket is exactly a UTC day and every node agrees on
// the window without coordination. Both buckets of a request cost ONE round trip (SharedState.incrMany =
// one Lua script on Redis); only a refused request pays a second one, to give its point back: a request
// refused with 429 is not counted, so hammering a full minute bucket does not drain the day bucket.
// rate-limiter-flexible (wrapped by SharedState.rateLimiter) was not used here: its windows start at a key's
// first hit (not at UTC midnight) and two limiters cost two round trips. Measured (test/bench/ratelimit.bench.ts,
// local Redis, 64 in flight): this ~67k requests/s and ~40 µs sequential; two rate-limiter-flexible limiters
// ~22k/s and ~95 µs; the same counters through an ioredis MULTI ~4k/s and ~400 µs.

import type { Principal } from '../../kernel/principal.ts';
import type { SharedState } from '../../platform/shared-state/shared-state.ts';
import type { BucketState } from './rate-limit.headers.ts';
import { limitsFor, type WindowConfig } from './rate-limit.policy.ts';

/** Keys outlive their window a little so that a late refund (5xx) still finds its counter. */
const KEY_GRACE_MS = 5_000;

interface CounterSpec {
  name: BucketState['name'];
  limit: number;
  windowSec: number;
  key: string;
}

interface Taken {
  key: string;
  /** How many requests this consumption counted (a GraphQL operation with several listings counts more). */
  by: number;
  endMs: number;
  ttlMs: number;
}

export interface Consumption {
  allowed: boolean;
  buckets: BucketState[];
  /** Seconds until every exhausted bucket has refilled (Retry-After); 0 when allowed. */
  retryAfterSec: number;
  taken: Taken[];
}

export class RateLimiter {
  constructor(
    private readonly state: SharedState,
    private readonly windows: WindowConfig,
    private readonly ipPerMinute: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts `weight` requests (default one) of an API client against its minute and day buckets. */
  forClient(p: Pick<Principal, 'clientId' | 'tier' | 'limits'>, weight = 1): Promise<Consumption> {
    const l = limitsFor(p);
    return this.consume(weight, [
      // {…}: both keys in one Redis Cluster bucket, so one script counts both (docs/durability.md#on-redis-cluster).
      { name: 'minute', limit: l.perMinute, windowSec: this.windows.minuteSec, key: `rl:c:{${p.clientId}}` },
      { name: 'day', limit: l.perDay, windowSec: this.windows.daySec, key: `rl:c:{${p.clientId}}` },
    ]);
  }

  /**
   * An API client's two buckets as they stand, counting nothing (the console's overview): the same keys and
   * windows as forClient, read with one GET each.
   */
  async peekClient(p: Pick<Principal, 'clientId' | 'tier' | 'limits'>): Promise<BucketState[]> {
    const l = limitsFor(p);
    const now = this.now();
    const specs: CounterSpec[] = [
      { name: 'minute', limit: l.perMinute, windowSec: this.windows.minuteSec, key: `rl:c:{${p.clientId}}` },
      { name: 'day', limit: l.perDay, windowSec: this.windows.daySec, key: `rl:c:{${p.clientId}}` },
    ];
    return Promise.all(
      specs.map(async (s) => {
        const ms = s.windowSec * 1000;
        const index = Math.floor(now / ms);
        const used = Number(
          (await this.state.get(`${s.key}:${s.name === 'minute' ? 'm' : 'd'}${s.windowSec}:${index}`)) ?? 0,
        );
        return {
          name: s.name,
          limit: s.limit,
          remaining: Math.max(0, s.limit - (Number.isFinite(used) ? used : 0)),
          windowSec: s.windowSec,
          resetAt: Math.ceil(((index + 1) * ms) / 1000),
        };
      }),
    );
  }

  /** Counts `weight` unauthenticated requests (default one) against its source IP's minute bucket. */
  forIp(ip: string, weight = 1): Promise<Consumption> {
    return this.consume(weight, [
      { name: 'minute', limit: this.ipPerMinute, windowSec: this.windows.minuteSec, key: `rl:ip:{${ip}}` },
    ]);
  }

  /** Gives a counted request back (it ended in a 5xx), unless its window is already over. */
  async refund(c: Consumption): Promise<void> {
    const now = this.now();
    const live = c.taken.filter((t) => t.endMs > now);
    if (live.length) await this.state.incrMany(live.map((t) => ({ key: t.key, by: -t.by, ttlMs: t.ttlMs })));
  }

  private async consume(weight: number, specs: CounterSpec[]): Promise<Consumption> {
    const now = this.now();
    const taken = specs.map((s) => {
      const ms = s.windowSec * 1000;
      const index = Math.floor(now / ms);
      const endMs = (index + 1) * ms;
      const key = `${s.key}:${s.name === 'minute' ? 'm' : 'd'}${s.windowSec}:${index}`;
      return { key, by: weight, endMs, ttlMs: endMs - now + KEY_GRACE_MS };
    });
    const counts = await this.state.incrMany(taken.map((t) => ({ key: t.key, by: weight, ttlMs: t.ttlMs })));
    const over = specs.map((s, i) => counts[i].value > s.limit);
    const allowed = !over.some(Boolean);
    if (!allowed) await this.state.incrMany(taken.map((t) => ({ key: t.key, by: -weight, ttlMs: t.ttlMs })));
    const buckets: BucketState[] = specs.map((s, i) => ({
      name: s.name,
      limit: s.limit,
      // A refused request was given back, so the other buckets show their count without it.
      remaining: over[i] ? 0 : Math.max(0, s.limit - (allowed ? counts[i].value : counts[i].value - weight)),
      windowSec: s.windowSec,
      resetAt: Math.ceil(taken[i].endMs / 1000),
    }));
    const retryAfterSec = allowed
      ? 0
      : Math.max(1, ...taken.filter((_, i) => over[i]).map((t) => Math.ceil((t.endMs - now) / 1000)));
    return { allowed, buckets, retryAfterSec, taken: allowed ? taken : [] };
  }
}
