// Redis implementation of SharedState. Every key is prefixed so that several deployments (or test files)
// can share one Redis without seeing each other's keys.
import { Redis } from 'ioredis';
import { RateLimiterRedis } from 'rate-limiter-flexible';
import type { RateLimiterOptions, SharedState } from './shared-state.ts';

export class RedisState implements SharedState {
  readonly kind = 'redis' as const;
  readonly redis: Redis;

  constructor(url: string, private readonly prefix = 'kc:') {
    this.redis = new Redis(url, {
      lazyConnect: false,
      maxRetriesPerRequest: 2,
      enableOfflineQueue: true,
      // A dead Redis should fail requests fast (503), not hang them.
      connectTimeout: 2000,
      commandTimeout: 2000,
    });
    // Errors surface on the commands that fail; without a listener ioredis would log unhandled errors.
    this.redis.on('error', () => {});
  }

  private k(key: string) {
    return this.prefix + key;
  }

  async get(key: string) {
    return this.redis.get(this.k(key));
  }

  async set(key: string, value: string, ttlMs: number) {
    await this.redis.set(this.k(key), value, 'PX', Math.max(1, Math.ceil(ttlMs)));
  }

  async setIfAbsent(key: string, value: string, ttlMs: number) {
    const r = await this.redis.set(this.k(key), value, 'PX', Math.max(1, Math.ceil(ttlMs)), 'NX');
    return r === 'OK';
  }

  async del(key: string) {
    await this.redis.del(this.k(key));
  }

  async incr(key: string, ttlMs: number) {
    const k = this.k(key);
    // INCR and the first PEXPIRE in one round trip; NX keeps the window of the first increment.
    const res = await this.redis.multi().incr(k).pexpire(k, Math.max(1, Math.ceil(ttlMs)), 'NX').pttl(k).exec();
    if (!res) throw new Error('redis transaction aborted');
    const value = Number(res[0][1]);
    const ttl = Number(res[2][1]);
    return { value, ttlMs: ttl > 0 ? ttl : ttlMs };
  }

  async incrMany(items: { key: string; by: number; ttlMs: number }[]) {
    if (items.length === 0) return [];
    const m = this.redis.multi();
    for (const it of items) {
      const k = this.k(it.key);
      m.incrby(k, it.by).pexpire(k, Math.max(1, Math.ceil(it.ttlMs)), 'NX').pttl(k);
    }
    const res = await m.exec();
    if (!res) throw new Error('redis transaction aborted');
    return items.map((it, i) => {
      const [incrErr, value] = res[i * 3];
      if (incrErr) throw incrErr;
      const ttl = Number(res[i * 3 + 2][1]);
      return { value: Number(value), ttlMs: ttl > 0 ? ttl : it.ttlMs };
    });
  }

  rateLimiter(opts: RateLimiterOptions) {
    return new RateLimiterRedis({
      storeClient: this.redis,
      keyPrefix: this.prefix + opts.keyPrefix,
      points: opts.points,
      duration: opts.durationSec,
    });
  }

  async ping() {
    await this.redis.ping();
  }

  async close() {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
