// Redis implementation of SharedState. Every key is prefixed so that several deployments (or test files)
// can share one Redis without seeing each other's keys.
import { Redis } from 'ioredis';
import { RateLimiterRedis } from 'rate-limiter-flexible';
import type { RateLimiterOptions, SharedState } from './shared-state.ts';

interface IncrManyCommand {
  kcIncrMany(numKeys: number, ...keysThenArgs: (string | number)[]): Promise<unknown>;
}

export class RedisState implements SharedState {
  readonly kind = 'redis' as const;
  readonly redis: Redis;

  constructor(
    url: string,
    private readonly prefix = 'kc:',
  ) {
    this.redis = new Redis(url, {
      lazyConnect: false,
      maxRetriesPerRequest: 2,
      enableOfflineQueue: true,
      // Commands issued in the same tick share one write (and Redis answers them in one read): under load
      // this halves syscalls on the hot paths (auth revocation checks, rate limits, one-shot redemptions).
      enableAutoPipelining: true,
      // A dead Redis should fail requests fast (503), not hang them.
      connectTimeout: 2000,
      commandTimeout: 2000,
    });
    // Errors surface on the commands that fail; without a listener ioredis would log unhandled errors.
    this.redis.on('error', () => {});
    // INCRBY each key; a key without a TTL (just created) gets its TTL. Returns value, ms left per key.
    this.redis.defineCommand('kcIncrMany', {
      lua: `local out = {}
for i = 1, #KEYS do
  local v = redis.call('INCRBY', KEYS[i], ARGV[2 * i - 1])
  local ttl = redis.call('PTTL', KEYS[i])
  if ttl < 0 then
    ttl = tonumber(ARGV[2 * i])
    redis.call('PEXPIRE', KEYS[i], ttl)
  end
  out[2 * i - 1] = v
  out[2 * i] = ttl
end
return out`,
    });
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
    const res = await this.redis
      .multi()
      .incr(k)
      .pexpire(k, Math.max(1, Math.ceil(ttlMs)), 'NX')
      .pttl(k)
      .exec();
    if (!res) throw new Error('redis transaction aborted');
    const value = Number(res[0][1]);
    const ttl = Number(res[2][1]);
    return { value, ttlMs: ttl > 0 ? ttl : ttlMs };
  }

  async incrMany(items: { key: string; by: number; ttlMs: number }[]) {
    if (items.length === 0) return [];
    const args: (string | number)[] = [];
    for (const it of items) args.push(it.by, Math.max(1, Math.ceil(it.ttlMs)));
    // One EVALSHA (a script, not MULTI: measured 4x cheaper per call through ioredis).
    const res = (await (this.redis as unknown as IncrManyCommand).kcIncrMany(
      items.length,
      ...items.map((it) => this.k(it.key)),
      ...args,
    )) as number[];
    return items.map((_, i) => ({ value: Number(res[i * 2]), ttlMs: Number(res[i * 2 + 1]) }));
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
