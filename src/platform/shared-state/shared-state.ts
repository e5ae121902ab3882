// Shared short-lived state: rate-limit buckets, one-shot nonces, revocations, short caches.
// Redis when REDIS_URL is set (holds across nodes); an in-process stand-in otherwise (one process only).
// Both implementations pass the same contract suite (test/platform/shared-state/shared-state.contract.test.ts).
import type { RateLimiterAbstract } from 'rate-limiter-flexible';

export interface RateLimiterOptions {
  keyPrefix: string;
  points: number; // requests allowed per window
  durationSec: number; // window length
}

/** A one-shot claim's outcome: this call won, someone already had it, or it predates the store's generation. */
export type ClaimResult = 'won' | 'taken' | 'stale';

export interface SharedState {
  readonly kind: 'redis' | 'memory';
  get(key: string): Promise<string | null>;
  /** Sets with a time to live (ms). */
  set(key: string, value: string, ttlMs: number): Promise<void>;
  /** Sets only when absent; true when this call set it. Atomic across nodes (one-shot redemption). */
  setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean>;
  del(key: string): Promise<void>;
  /**
   * The fenced one-shot (docs/durability.md#the-generation-mark): `stale` when the thing claimed was issued
   * (`issuedMs`) before the store's current generation began, since its earlier claim may have been lost with
   * the store's data; otherwise setIfAbsent's answer. The generation check and the set are one atomic step.
   */
  claimOnce(key: string, value: string, ttlMs: number, issuedMs: number): Promise<ClaimResult>;
  /**
   * Several keys and the store's generation (ms since the epoch when its current data began; 0 for a store
   * that never lost any) read in one atomic step. Anything issued before `generationMs` must be refused.
   * On a Redis Cluster: one atomic step per bucket of keys, and the newest of their generations
   * (docs/durability.md#on-redis-cluster).
   */
  readFenced(keys: string[]): Promise<{ values: (string | null)[]; generationMs: number }>;
  /** Increments a counter; the TTL is set when the counter is created. Returns the new value and ms left. */
  incr(key: string, ttlMs: number): Promise<{ value: number; ttlMs: number }>;
  /**
   * Adds `by` (may be negative) to several counters in ONE round trip (one Lua script on Redis); each TTL is
   * set when its counter is created. Returns each new value and the ms it has left. Used by the rate limiter,
   * whose two buckets must cost one round trip per request. On a Redis Cluster keys sharing a `{tag}` share one
   * script; keys of different tags cost one script each (docs/durability.md#on-redis-cluster).
   */
  incrMany(items: { key: string; by: number; ttlMs: number }[]): Promise<{ value: number; ttlMs: number }[]>;
  /** A rate-limiter-flexible limiter over the same store. */
  rateLimiter(opts: RateLimiterOptions): RateLimiterAbstract;
  ping(): Promise<void>;
  close(): Promise<void>;
}
