// Redis implementation of SharedState, on one Redis or a Redis Cluster (REDIS_URL redis+cluster://…). Every key
// is prefixed so that several deployments (or test files) can share one Redis without seeing each other's keys.
// On a cluster every key also carries a bucket hash tag with its own generation sentinel (cluster-keys.ts).
import { createHash } from 'node:crypto';
import { Cluster, Redis } from 'ioredis';
import { type RateLimiterAbstract, RateLimiterRedis } from 'rate-limiter-flexible';
import { AppError } from '../../kernel/errors.ts';
import { parseRedisUrl } from '../../kernel/redis-url.ts';
import { allBuckets, assertClusterPrefix, bucketOf } from './cluster-keys.ts';
import { type GenerationLedger, processGenerationLedger } from './generation-ledger.ts';
import type { ClaimResult, RateLimiterOptions, SharedState } from './shared-state.ts';

type Script = (numKeys: number, ...keysThenArgs: (string | number)[]) => Promise<unknown>;
interface Scripts {
  kcIncrMany: Script;
  kcClaim: Script;
  kcRead: Script;
  kcEstablish: Script;
}

/** A new generation began (or the first one was set up): every node logs it, the operator should know. */
interface GenerationEvent {
  generationMs: number;
  reason: 'first-start' | 'data-lost' | 'rolled-back';
  /** On a Redis Cluster: how many of the fence buckets began this generation (the largest one is given). */
  buckets?: number;
}

export interface RedisStateOptions {
  /** Durable record of generations; without one (tools, tests) only this process remembers them. */
  generations?: GenerationLedger;
  onGeneration?: (e: GenerationEvent) => void;
}

/**
 * One generation sentinel and the keys it fences (docs/durability.md#the-generation-mark): on one Redis the whole
 * prefix (`<prefix>gen`), on a cluster one bucket (`<prefix>{<bucket>}gen`, in the slot of the bucket's keys).
 */
interface Fence {
  /** Its name in the durable generation ledger. */
  store: string;
  sentinel: string;
  /** Newest generation this node knows from the durable ledger; a sentinel below it means data went back. */
  floorMs: number;
  establishing: Promise<Established> | null;
}

interface Established {
  generationMs: number;
  /** Why a new generation began, or null when the sentinel stood. */
  reason: GenerationEvent['reason'] | null;
}

/** How long a call may wait on a cluster (the per-connection commandTimeout of one Redis, plus a retry). */
const COMMAND_DEADLINE_MS = 3000;

/** Answers of a cluster that cannot serve a key now: a master down, slots moving, no master reachable. */
const CLUSTER_DOWN =
  /CLUSTERDOWN|TRYAGAIN|^MOVED |^ASK |Cluster isn't ready|None of startup nodes|Failed to refresh slots|redirections/;

/** Told apart by its code (kernel/errors.ts isDependencyDown): the store is down, the request answers 503. */
function unavailable(message: string): Error {
  return Object.assign(new Error(message), { code: 'REDIS_UNAVAILABLE' });
}

/** Fence buckets established at once during a sweep: bounds the burst on PostgreSQL (the ledger). */
const SWEEP_CONCURRENCY = 8;

// The fenced scripts answer -1 when the sentinel is missing (the store lost its data) or older than the newest
// generation this node knows (the store went back in time); the node then establishes a generation and retries.
const FENCE = `local g = redis.call('GET', KEYS[1])
if (not g) or tonumber(g) < tonumber(ARGV[1]) then return -1 end
g = tonumber(g)
`;

/** The scripts, by name (see the constructor for how they are defined). */
const LUA = {
  // INCRBY each key; a key without a TTL (just created) gets its TTL. Returns value, ms left per key.
  kcIncrMany: `local out = {}
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
  // KEYS: sentinel, key. ARGV: floor, issuedMs, value, ttl. 1 won, 0 taken, 2 stale, -1 no generation.
  kcClaim: `${FENCE}if tonumber(ARGV[2]) < g then return 2 end
if redis.call('SET', KEYS[2], ARGV[3], 'PX', ARGV[4], 'NX') then return 1 end
return 0`,
  // KEYS: sentinel, keys... ARGV: floor. Returns {generation, values...} or -1.
  kcRead: `${FENCE}local out = {g}
for i = 2, #KEYS do out[i] = redis.call('GET', KEYS[i]) end
return out`,
  // KEYS: sentinel. ARGV: candidate, floor. Sets the candidate when the sentinel is missing or below the floor
  // (a concurrent node may have set a valid one first: then that one stands). Returns {generation, how}:
  // 0 it stood, 1 it was missing, 2 it was older than the floor.
  kcEstablish: `local g = redis.call('GET', KEYS[1])
if not g then
  redis.call('SET', KEYS[1], ARGV[1])
  return {ARGV[1], 1}
end
if tonumber(g) < tonumber(ARGV[2]) then
  redis.call('SET', KEYS[1], ARGV[1])
  return {ARGV[1], 2}
end
return {g, 0}`,
};

export class RedisState implements SharedState {
  readonly kind = 'redis' as const;
  readonly redis: Redis | Cluster;
  /** A Redis Cluster: keys and sentinels are per bucket (cluster-keys.ts). */
  readonly cluster: boolean;

  private readonly fences = new Map<string, Fence>();
  private sweeping: Promise<void> | null = null;
  private sweepAgain: Promise<void> | null = null;
  private readonly ledger: GenerationLedger;
  private readonly scripts: Scripts;

  constructor(
    url: string,
    private readonly prefix = 'kc:',
    private readonly opts: RedisStateOptions = {},
  ) {
    this.ledger = opts.generations ?? processGenerationLedger();
    const target = parseRedisUrl(url);
    this.cluster = target.kind === 'cluster';
    // A dead Redis should fail requests fast (503), not hang them.
    const perConnection = { maxRetriesPerRequest: 2, connectTimeout: 2000, commandTimeout: 2000 };
    if (target.kind === 'cluster') {
      assertClusterPrefix(prefix);
      this.redis = new Cluster(target.nodes, {
        redisOptions: {
          ...perConnection,
          username: target.username,
          password: target.password,
          ...(target.tls ? { tls: {} } : {}),
        },
        enableOfflineQueue: true,
        // Per master, as on one Redis (below).
        enableAutoPipelining: true,
        // Replicas lag: a one-shot claim or a revocation read there could miss a write just made on the master.
        scaleReads: 'master',
        slotsRefreshTimeout: 2000,
        // Re-reads the slot map every 5 s: a master that came back (or a replica promoted in its place) is
        // reconnected even if no request has touched its keys yet, so health recovers on its own.
        slotsRefreshInterval: 5000,
      });
    } else {
      this.redis = new Redis(target.url, {
        ...perConnection,
        lazyConnect: false,
        enableOfflineQueue: true,
        // Commands issued in the same tick share one write (and Redis answers them in one read): under load
        // this halves syscalls on the hot paths (auth revocation checks, rate limits, one-shot redemptions).
        enableAutoPipelining: true,
      });
    }
    // Errors surface on the commands that fail; without a listener ioredis would log unhandled errors.
    this.redis.on('error', () => {});
    // EVALSHA rather than ioredis' defineCommand: ioredis knows where EVALSHA's keys are, which its auto-pipelining
    // needs on a cluster to batch a script with its own master's commands (a defined command's first argument, the
    // key count, would be taken for the key). A server that does not know the script (first call, restarted)
    // answers NOSCRIPT: then EVAL, which also loads it.
    const sha = (lua: string) => createHash('sha1').update(lua).digest('hex');
    const script = (name: keyof typeof LUA): Script => {
      const lua = LUA[name];
      const digest = sha(lua);
      return (numKeys, ...keysThenArgs) =>
        this.timed(
          this.redis.evalsha(digest, numKeys, ...keysThenArgs).catch((e: unknown) => {
            if (!(e instanceof Error) || !e.message.startsWith('NOSCRIPT')) throw e;
            return this.redis.eval(lua, numKeys, ...keysThenArgs);
          }),
        );
    };
    this.scripts = {
      kcIncrMany: script('kcIncrMany'),
      kcClaim: script('kcClaim'),
      kcRead: script('kcRead'),
      kcEstablish: script('kcEstablish'),
    };
    // Every (re)connect checks the sentinels at once, so a store that restarted empty is noticed at its return,
    // not at the first redemption (on a cluster: every bucket's). Failures here are retried by the next fenced call.
    this.redis.on('ready', () => void this.sweep().catch(() => {}));
  }

  /** The sentinel that fences `key` and its name in the generation ledger (for tests and operators). */
  fenceOf(key: string): { store: string; sentinel: string } {
    const { store, sentinel } = this.fence(this.bucket(key));
    return { store, sentinel };
  }

  private bucket(key: string): string {
    return this.cluster ? bucketOf(key) : '';
  }

  private fence(bucket: string): Fence {
    let f = this.fences.get(bucket);
    if (!f) {
      const store = this.cluster ? `${this.prefix}{${bucket}}` : this.prefix;
      f = { store, sentinel: `${store}gen`, floorMs: 0, establishing: null };
      this.fences.set(bucket, f);
    }
    return f;
  }

  /**
   * Makes sure the sentinel fencing `key` has a generation and returns it (on one Redis there is one for all keys).
   */
  establish(key = ''): Promise<number> {
    return this.establishFence(this.fence(this.bucket(key)), (e) => this.report(e, 1));
  }

  /**
   * Makes sure every sentinel has a generation: one on one Redis, every bucket's on a cluster. A sweep asked for
   * while one runs runs again after it (what it looked at may predate the loss that asked). A loss that happens
   * during a sweep, in buckets it already passed, is found by their next fenced call (fail closed meanwhile:
   * tokens issued in between are refused there).
   */
  sweep(): Promise<void> {
    if (!this.sweeping) {
      this.sweeping = this.sweepNow().finally(() => {
        this.sweeping = null;
      });
      return this.sweeping;
    }
    this.sweepAgain ??= this.sweeping
      .catch(() => {})
      .then(() => {
        this.sweepAgain = null;
        return this.sweep();
      });
    return this.sweepAgain;
  }

  private async sweepNow(): Promise<void> {
    if (!this.cluster) {
      await this.establish();
      return;
    }
    // One log line per reason for the whole sweep, not one per bucket.
    const found = new Map<GenerationEvent['reason'], { buckets: number; generationMs: number }>();
    const buckets = allBuckets();
    let next = 0;
    const worker = async () => {
      while (next < buckets.length) {
        await this.establishFence(this.fence(buckets[next++]), (e) => {
          const f = found.get(e.reason!) ?? { buckets: 0, generationMs: 0 };
          found.set(e.reason!, { buckets: f.buckets + 1, generationMs: Math.max(f.generationMs, e.generationMs) });
        });
      }
    };
    await Promise.all(Array.from({ length: SWEEP_CONCURRENCY }, worker));
    for (const [reason, f] of found) this.opts.onGeneration?.({ reason, ...f });
  }

  private report(e: Established, buckets: number): void {
    if (e.reason)
      this.opts.onGeneration?.({
        generationMs: e.generationMs,
        reason: e.reason,
        ...(this.cluster ? { buckets } : {}),
      });
  }

  /** One establishment per fence at a time; whoever started it reports what it found. */
  private async establishFence(f: Fence, report: (e: Established) => void): Promise<number> {
    if (f.establishing) return (await f.establishing).generationMs;
    f.establishing = this.establishNow(f).finally(() => {
      f.establishing = null;
    });
    const e = await f.establishing;
    if (e.reason) report(e);
    return e.generationMs;
  }

  /**
   * A fence this deployment never recorded (first start) gets generation 0: nothing issued before can have been
   * lost. A fence that was recorded before and has no sentinel now lost its data: its generation becomes now,
   * recorded durably before anything relies on it.
   */
  private async establishNow(f: Fence): Promise<Established> {
    const known = await this.ledger.load(f.store);
    // A cluster bucket never recorded, of a deployment whose prefix was recorded on one Redis: the claims made
    // there are not here, so this is a loss, not a first start (docs/durability.md#on-redis-cluster).
    const firstStart = known === null && !(this.cluster && (await this.ledger.load(this.prefix)) !== null);
    // Recorded before its sentinel exists, so that losing it later is never taken for a first start again.
    if (known === null) await this.ledger.record(f.store, 0);
    const floor = Math.max(known ?? 0, f.floorMs);
    const candidate = firstStart ? 0 : Date.now();
    const [g, created] = (await this.scripts.kcEstablish(1, f.sentinel, candidate, floor)) as [string, number];
    const generationMs = Number(g);
    f.floorMs = Math.max(f.floorMs, await this.ledger.record(f.store, generationMs));
    const how = Number(created);
    return {
      generationMs,
      reason: how === 0 ? null : firstStart ? 'first-start' : how === 2 ? 'rolled-back' : 'data-lost',
    };
  }

  /** Runs a fenced script; when its fence has no valid generation, establishes one and tries once more. */
  private async fenced<T>(f: Fence, run: () => Promise<unknown>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      const r = await run();
      if (r !== -1) return r as T;
      if (attempt >= 1)
        throw new AppError('service_unavailable', 'Shared state keeps losing its data. Retry shortly.', {
          'Retry-After': '5',
        });
      let lost = false;
      await this.establishFence(f, (e) => {
        this.report(e, 1);
        lost = e.reason !== 'first-start';
      });
      // On a cluster a loss is a master's (restarted empty, flushed, failed over to an empty replica): the other
      // buckets it holds lost their sentinels too. Finding them all now, before answering, means a token issued
      // from here on is not refused later when its own bucket's loss would have been noticed.
      if (lost && this.cluster) await this.sweep().catch(() => {});
    }
  }

  private k(key: string) {
    return this.cluster ? `${this.prefix}{${bucketOf(key)}}${key}` : this.prefix + key;
  }

  /** Indexes of `keys` by bucket: one script per bucket on a cluster (one slot each), one group on one Redis. */
  private byBucket(keys: string[]): Map<string, number[]> {
    const groups = new Map<string, number[]>();
    keys.forEach((key, i) => {
      const b = this.bucket(key);
      const g = groups.get(b);
      if (g) g.push(i);
      else groups.set(b, [i]);
    });
    return groups;
  }

  async get(key: string) {
    return this.timed(this.redis.get(this.k(key)));
  }

  async set(key: string, value: string, ttlMs: number) {
    await this.timed(this.redis.set(this.k(key), value, 'PX', Math.max(1, Math.ceil(ttlMs))));
  }

  async setIfAbsent(key: string, value: string, ttlMs: number) {
    const r = await this.timed(this.redis.set(this.k(key), value, 'PX', Math.max(1, Math.ceil(ttlMs)), 'NX'));
    return r === 'OK';
  }

  async claimOnce(key: string, value: string, ttlMs: number, issuedMs: number): Promise<ClaimResult> {
    const ttl = Math.max(1, Math.ceil(ttlMs));
    const f = this.fence(this.bucket(key));
    const run = () => this.scripts.kcClaim(2, f.sentinel, this.k(key), f.floorMs, issuedMs, value, ttl);
    // Every image redemption comes here: the script runs once, and only a missing generation (-1) goes the way
    // of `fenced`, which establishes one and runs it again.
    let r = await run();
    if (r === -1) r = await this.fenced<number>(f, run);
    return r === 1 ? 'won' : r === 2 ? 'stale' : 'taken';
  }

  /**
   * On a cluster, keys of different buckets are read by one script per bucket (in parallel, each fenced by its
   * own sentinel) and the generation is the newest of theirs: whatever predates any of them is refused. No keys:
   * the generation of the first bucket's fence.
   */
  async readFenced(keys: string[]) {
    const values: (string | null)[] = keys.map(() => null);
    const groups = keys.length ? this.byBucket(keys) : new Map([[this.bucket(''), [] as number[]]]);
    const generations = await Promise.all(
      [...groups].map(async ([bucket, idx]) => {
        const f = this.fence(bucket);
        const r = await this.fenced<(string | number | null)[]>(f, () =>
          this.scripts.kcRead(1 + idx.length, f.sentinel, ...idx.map((i) => this.k(keys[i])), f.floorMs),
        );
        idx.forEach((i, j) => {
          values[i] = (r[j + 1] ?? null) as string | null;
        });
        return Number(r[0]);
      }),
    );
    return { generationMs: Math.max(...generations), values };
  }

  async del(key: string) {
    await this.timed(this.redis.del(this.k(key)));
  }

  async incr(key: string, ttlMs: number) {
    const k = this.k(key);
    // INCR and the first PEXPIRE in one round trip; NX keeps the window of the first increment.
    const res = await this.timed(
      this.redis
        .multi()
        .incr(k)
        .pexpire(k, Math.max(1, Math.ceil(ttlMs)), 'NX')
        .pttl(k)
        .exec(),
    );
    if (!res) throw new Error('redis transaction aborted');
    const value = Number(res[0][1]);
    const ttl = Number(res[2][1]);
    return { value, ttlMs: ttl > 0 ? ttl : ttlMs };
  }

  async incrMany(items: { key: string; by: number; ttlMs: number }[]) {
    if (items.length === 0) return [];
    const out: { value: number; ttlMs: number }[] = new Array(items.length);
    // One EVALSHA (a script, not MULTI: measured 4x cheaper per call through ioredis); on a cluster one per bucket
    // (keys sharing a `{tag}`, like a client's rate-limit buckets, share one).
    await Promise.all(
      [...this.byBucket(items.map((it) => it.key))].map(async ([, idx]) => {
        const args: (string | number)[] = [];
        for (const i of idx) args.push(items[i].by, Math.max(1, Math.ceil(items[i].ttlMs)));
        const res = (await this.scripts.kcIncrMany(
          idx.length,
          ...idx.map((i) => this.k(items[i].key)),
          ...args,
        )) as number[];
        idx.forEach((i, j) => {
          out[i] = { value: Number(res[j * 2]), ttlMs: Number(res[j * 2 + 1]) };
        });
      }),
    );
    return out;
  }

  /**
   * rate-limiter-flexible's script and reads touch one key each, so they run on a cluster as they are (its keys
   * carry no bucket: nothing fences them). On a cluster its calls get the same deadline as ours (see timed); a
   * refusal (its RateLimiterRes) passes through unchanged.
   */
  rateLimiter(opts: RateLimiterOptions): RateLimiterAbstract {
    const limiter = new RateLimiterRedis({
      storeClient: this.redis,
      keyPrefix: this.prefix + opts.keyPrefix,
      points: opts.points,
      duration: opts.durationSec,
    });
    if (!this.cluster) return limiter;
    return new Proxy(limiter, {
      get: (target, prop) => {
        const v = Reflect.get(target, prop, target);
        if (typeof v !== 'function') return v;
        return (...args: unknown[]) => {
          const r = v.apply(target, args);
          return r instanceof Promise ? this.timed(r) : r;
        };
      },
    });
  }

  /**
   * On a cluster every slot's master must answer: one that does not holds its share of the keys. The client drops
   * an unreachable master from its pool but keeps it in the slot map, so both are compared.
   */
  async ping() {
    if (!(this.redis instanceof Cluster)) {
      await this.redis.ping();
      return;
    }
    const masters = this.redis.nodes('master');
    const connected = new Set(masters.map((n) => `${n.options.host}:${n.options.port}`));
    const owners = new Set<string>();
    let orphans = 0;
    for (let slot = 0; slot < 16384; slot++) {
      const owner = this.redis.slots[slot]?.[0];
      if (owner) owners.add(owner);
      else orphans++;
    }
    if (orphans > 0) throw new Error(`${orphans} Redis Cluster slots have no master`);
    for (const o of owners) if (!connected.has(o)) throw new Error(`Redis Cluster master ${o} is not reachable`);
    await this.timed(Promise.all(masters.map((n) => n.ping())));
  }

  /**
   * While no master is reachable a cluster client keeps commands in its own queue, where the per-connection
   * timeouts do not apply: on a cluster every call fails after COMMAND_DEADLINE_MS instead of hanging, as on one
   * Redis (a dead store answers 503, docs/durability.md#the-generation-mark).
   */
  private timed<T>(p: Promise<T>): Promise<T> {
    if (!this.cluster) return p;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(unavailable(`Redis Cluster did not answer within ${COMMAND_DEADLINE_MS} ms`)),
        COMMAND_DEADLINE_MS,
      );
    });
    const answered = p.catch((e: unknown) => {
      throw e instanceof Error && CLUSTER_DOWN.test(e.message) ? unavailable(`Redis Cluster: ${e.message}`) : e;
    });
    return Promise.race([answered, late]).finally(() => clearTimeout(timer));
  }

  async close() {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
