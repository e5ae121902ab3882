// In-process stand-in for Redis: a Map with expiry times. Good for one process only (embedded default).
import { RateLimiterMemory } from 'rate-limiter-flexible';
import type { ClaimResult, RateLimiterOptions, SharedState } from './shared-state.ts';

interface Entry {
  value: string;
  expiresAt: number;
}

export class MemoryState implements SharedState {
  readonly kind = 'memory' as const;
  private readonly map = new Map<string, Entry>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(private readonly now: () => number = Date.now) {
    // Expired entries are dropped lazily on read; the sweep bounds memory for keys never read again.
    this.sweeper = setInterval(() => this.sweep(), 30_000);
    this.sweeper.unref();
  }

  private live(key: string): Entry | undefined {
    const e = this.map.get(key);
    if (e && e.expiresAt <= this.now()) {
      this.map.delete(key);
      return undefined;
    }
    return e;
  }

  private sweep(): void {
    const t = this.now();
    for (const [k, e] of this.map) if (e.expiresAt <= t) this.map.delete(k);
  }

  async get(key: string) {
    return this.live(key)?.value ?? null;
  }

  async set(key: string, value: string, ttlMs: number) {
    this.map.set(key, { value, expiresAt: this.now() + ttlMs });
  }

  async setIfAbsent(key: string, value: string, ttlMs: number) {
    if (this.live(key)) return false;
    this.map.set(key, { value, expiresAt: this.now() + ttlMs });
    return true;
  }

  // The stand-in has no generation: its data lives and dies with the process (docs/durability.md#single-process).
  async claimOnce(key: string, value: string, ttlMs: number, _issuedMs: number): Promise<ClaimResult> {
    return (await this.setIfAbsent(key, value, ttlMs)) ? 'won' : 'taken';
  }

  async readFenced(keys: string[]) {
    return { values: keys.map((k) => this.live(k)?.value ?? null), generationMs: 0 };
  }

  async del(key: string) {
    this.map.delete(key);
  }

  async incr(key: string, ttlMs: number) {
    const e = this.live(key);
    if (!e) {
      this.map.set(key, { value: '1', expiresAt: this.now() + ttlMs });
      return { value: 1, ttlMs };
    }
    const n = Number(e.value) + 1;
    e.value = String(n);
    return { value: n, ttlMs: e.expiresAt - this.now() };
  }

  async incrMany(items: { key: string; by: number; ttlMs: number }[]) {
    return items.map(({ key, by, ttlMs }) => {
      const e = this.live(key);
      if (!e) {
        this.map.set(key, { value: String(by), expiresAt: this.now() + ttlMs });
        return { value: by, ttlMs };
      }
      const n = Number(e.value) + by;
      e.value = String(n);
      return { value: n, ttlMs: e.expiresAt - this.now() };
    });
  }

  rateLimiter(opts: RateLimiterOptions) {
    return new RateLimiterMemory({ keyPrefix: opts.keyPrefix, points: opts.points, duration: opts.durationSec });
  }

  async ping() {}

  async close() {
    clearInterval(this.sweeper);
    this.map.clear();
  }
}
