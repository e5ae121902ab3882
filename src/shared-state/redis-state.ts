// Redis implementation of SharedState. Every key is prefixed so that several deployments (or test files)
// can share one Redis without seeing each other's keys.
import { Redis } from 'ioredis';
import { RateLimiterRedis } from 'rate-limiter-flexible';
import { AppError } from '../kernel/errors.ts';
import type { ClaimResult, RateLimiterOptions, SharedState } from './shared-state.ts';
import { processGenerationLedger, type GenerationLedger } from './generation-ledger.ts';

type Script = (numKeys: number, ...keysThenArgs: (string | number)[]) => Promise<unknown>;
interface Scripts {
  kcIncrMany: Script;
  kcClaim: Script;
  kcRead: Script;
  kcEstablish: Script;
}

/** A new generation began (or the first one was set up): every node logs it, the operator should know. */
export interface GenerationEvent {
  generationMs: number;
  reason: 'first-start' | 'data-lost' | 'rolled-back';
}

export interface RedisStateOptions {
  /** Durable record of generations; without one (tools, tests) only this process remembers them. */
  generations?: GenerationLedger;
  onGeneration?: (e: GenerationEvent) => void;
}

/** Sentinel of the store's generation (docs/durability.md#the-generation-mark): no TTL, one per prefix. */
const GEN_KEY = 'gen';

// The fenced scripts answer -1 when the sentinel is missing (the store lost its data) or older than the newest
// generation this node knows (the store went back in time); the node then establishes a generation and retries.
const FENCE = `local g = redis.call('GET', KEYS[1])
if (not g) or tonumber(g) < tonumber(ARGV[1]) then return -1 end
g = tonumber(g)
`;

export class RedisState implements SharedState {
  readonly kind = 'redis' as const;
  readonly redis: Redis;

  /** Newest generation this node knows from the durable ledger; a sentinel below it means data went back. */
  private floorMs = 0;
  private establishing: Promise<number> | null = null;
  private readonly ledger: GenerationLedger;
  private readonly scripts: Scripts;

  constructor(
    url: string,
    private readonly prefix = 'kc:',
    private readonly opts: RedisStateOptions = {},
  ) {
    this.ledger = opts.generations ?? processGenerationLedger();
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
    // KEYS: sentinel, key. ARGV: floor, issuedMs, value, ttl. 1 won, 0 taken, 2 stale, -1 no generation.
    this.redis.defineCommand('kcClaim', {
      lua: `${FENCE}if tonumber(ARGV[2]) < g then return 2 end
if redis.call('SET', KEYS[2], ARGV[3], 'PX', ARGV[4], 'NX') then return 1 end
return 0`,
    });
    // KEYS: sentinel, keys... ARGV: floor. Returns {generation, values...} or -1.
    this.redis.defineCommand('kcRead', {
      lua: `${FENCE}local out = {g}
for i = 2, #KEYS do out[i] = redis.call('GET', KEYS[i]) end
return out`,
    });
    // KEYS: sentinel. ARGV: candidate, floor. Sets the candidate when the sentinel is missing or below the floor
    // (a concurrent node may have set a valid one first: then that one stands). Returns {generation, how}:
    // 0 it stood, 1 it was missing, 2 it was older than the floor.
    this.redis.defineCommand('kcEstablish', {
      lua: `local g = redis.call('GET', KEYS[1])
if not g then
  redis.call('SET', KEYS[1], ARGV[1])
  return {ARGV[1], 1}
end
if tonumber(g) < tonumber(ARGV[2]) then
  redis.call('SET', KEYS[1], ARGV[1])
  return {ARGV[1], 2}
end
return {g, 0}`,
    });
    this.scripts = this.redis as unknown as Scripts;
    // Every (re)connect checks the sentinel at once, so a store that restarted empty is noticed at its return,
    // not at the first redemption. Failures here are retried by the next fenced call.
    this.redis.on('ready', () => void this.establish().catch(() => {}));
  }

  /**
   * Makes sure the store has a generation and returns it. A store this deployment never recorded (first start)
   * gets generation 0: nothing issued before can have been lost. A store that was recorded before and has no
   * sentinel now lost its data: its generation becomes now, recorded durably before anything relies on it.
   */
  establish(): Promise<number> {
    this.establishing ??= this.establishNow().finally(() => {
      this.establishing = null;
    });
    return this.establishing;
  }

  private async establishNow(): Promise<number> {
    const known = await this.ledger.load(this.prefix);
    // First start: record the store before its sentinel exists, so that losing it later is never taken for a
    // first start again.
    if (known === null) await this.ledger.record(this.prefix, 0);
    const floor = Math.max(known ?? 0, this.floorMs);
    const candidate = known === null ? 0 : Date.now();
    const [g, created] = (await this.scripts.kcEstablish(1, this.k(GEN_KEY), candidate, floor)) as [string, number];
    const generationMs = Number(g);
    this.floorMs = Math.max(this.floorMs, await this.ledger.record(this.prefix, generationMs));
    const how = Number(created);
    if (how !== 0)
      this.opts.onGeneration?.({
        generationMs,
        reason: known === null ? 'first-start' : how === 2 ? 'rolled-back' : 'data-lost',
      });
    return generationMs;
  }

  /** Runs a fenced script; when the store has no valid generation, establishes one and tries once more. */
  private async fenced<T>(run: () => Promise<unknown>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      const r = await run();
      if (r !== -1) return r as T;
      if (attempt >= 1)
        throw new AppError('service_unavailable', 'Shared state keeps losing its data. Retry shortly.', {
          'Retry-After': '5',
        });
      await this.establish();
    }
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

  async claimOnce(key: string, value: string, ttlMs: number, issuedMs: number): Promise<ClaimResult> {
    const ttl = Math.max(1, Math.ceil(ttlMs));
    const r = await this.fenced<number>(() =>
      this.scripts.kcClaim(2, this.k(GEN_KEY), this.k(key), this.floorMs, issuedMs, value, ttl),
    );
    return r === 1 ? 'won' : r === 2 ? 'stale' : 'taken';
  }

  async readFenced(keys: string[]) {
    const r = await this.fenced<(string | number | null)[]>(() =>
      this.scripts.kcRead(1 + keys.length, this.k(GEN_KEY), ...keys.map((k) => this.k(k)), this.floorMs),
    );
    return { generationMs: Number(r[0]), values: keys.map((_, i) => (r[i + 1] ?? null) as string | null) };
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
    const res = (await this.scripts.kcIncrMany(
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
