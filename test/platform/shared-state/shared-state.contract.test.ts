// One contract, three implementations: the in-process stand-in always, Redis whenever REDIS_URL is set, and a
// 3-master Redis Cluster of this file's own whenever redis-server is installed (always in CI).

import { randomBytes } from 'node:crypto';
import { Cluster } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isDependencyDown } from '../../../src/kernel/errors.ts';
import { pgGenerationLedger, processGenerationLedger } from '../../../src/platform/shared-state/generation-ledger.ts';
import { MemoryState } from '../../../src/platform/shared-state/memory-state.ts';
import { RedisState } from '../../../src/platform/shared-state/redis-state.ts';
import type { SharedState } from '../../../src/platform/shared-state/shared-state.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/db.ts';
import { type OwnRedisCluster, startOwnRedisCluster } from '../../helpers/redis-cluster.ts';
import { mustRunWith } from '../../helpers/tools.ts';

const withCluster = mustRunWith('redis-server', 'apt-get install redis-server');
let cluster: OwnRedisCluster | undefined;
beforeAll(async () => {
  if (withCluster) cluster = await startOwnRedisCluster();
});
afterAll(async () => {
  await cluster?.stop();
});

/** The Redis URLs this run covers: the shared Redis when configured, this file's cluster when it can run. */
const redisTargets: [string, () => string][] = [];
if (process.env.REDIS_URL) redisTargets.push(['redis', () => process.env.REDIS_URL!]);
if (withCluster) redisTargets.push(['redis-cluster', () => cluster!.url]);

const impls: [string, () => SharedState][] = [['memory', () => new MemoryState()]];
for (const [name, url] of redisTargets)
  impls.push([name, () => new RedisState(url(), `kc-test:${randomBytes(4).toString('hex')}:`)]);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.each(impls)('SharedState contract: %s', (_name, make) => {
  let s: SharedState;
  beforeAll(() => {
    s = make();
  });
  afterAll(async () => {
    await s.close();
  });

  it('gets what was set and forgets it after the TTL', async () => {
    // A TTL a busy machine cannot outrun between the set and the first get; then just past it.
    await s.set('a', 'x', 1000);
    expect(await s.get('a')).toBe('x');
    await sleep(1100);
    expect(await s.get('a')).toBeNull();
  });

  it('deletes', async () => {
    await s.set('d', 'x', 10_000);
    await s.del('d');
    expect(await s.get('d')).toBeNull();
  });

  it('setIfAbsent lets exactly one of many concurrent callers win', async () => {
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => s.setIfAbsent('once', String(i), 10_000)));
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await s.setIfAbsent('once', 'again', 10_000)).toBe(false);
  });

  it('setIfAbsent succeeds again after expiry', async () => {
    expect(await s.setIfAbsent('exp', '1', 100)).toBe(true);
    await sleep(200);
    expect(await s.setIfAbsent('exp', '2', 100)).toBe(true);
  });

  it('incr counts atomically and keeps the first window', async () => {
    const vals = await Promise.all(Array.from({ length: 40 }, () => s.incr('ctr', 5_000)));
    expect(vals.map((v) => v.value).sort((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    for (const v of vals) expect(v.ttlMs).toBeGreaterThan(0);
    for (const v of vals) expect(v.ttlMs).toBeLessThanOrEqual(5_000);
  });

  it('incr restarts after the window', async () => {
    await s.incr('win', 100);
    await s.incr('win', 100);
    await sleep(200);
    expect((await s.incr('win', 100)).value).toBe(1);
  });

  it('rate limiter consumes points and rejects past the limit', async () => {
    const rl = s.rateLimiter({ keyPrefix: `rl${randomBytes(3).toString('hex')}`, points: 3, durationSec: 60 });
    const ok = [];
    for (let i = 0; i < 3; i++) ok.push(await rl.consume('client'));
    expect(ok.map((r) => r.remainingPoints)).toEqual([2, 1, 0]);
    await expect(rl.consume('client')).rejects.toMatchObject({ remainingPoints: 0 });
    // another key has its own bucket
    expect((await rl.consume('other')).remainingPoints).toBe(2);
  });

  it('claimOnce lets exactly one of many concurrent callers win, then answers taken', async () => {
    const issued = Date.now();
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => s.claimOnce('claim', String(i), 10_000, issued)),
    );
    expect(results.filter((r) => r === 'won')).toHaveLength(1);
    expect(results.filter((r) => r === 'taken')).toHaveLength(49);
    expect(await s.claimOnce('claim', 'again', 10_000, Date.now())).toBe('taken');
  });

  it('readFenced reads several keys and a generation no later than now', async () => {
    await s.set('f1', 'one', 10_000);
    await s.set('f3', 'three', 10_000);
    const r = await s.readFenced(['f1', 'f2', 'f3']);
    expect(r.values).toEqual(['one', null, 'three']);
    expect(r.generationMs).toBeGreaterThanOrEqual(0);
    expect(r.generationMs).toBeLessThanOrEqual(Date.now());
  });

  it('answers ping', async () => {
    await expect(s.ping()).resolves.toBeUndefined();
  });
});

/** "Losing the data": every key of the store's prefix deleted, on every master of a cluster. */
const lose = async (s: RedisState, p: string) => {
  for (const node of s.redis instanceof Cluster ? s.redis.nodes('master') : [s.redis]) {
    const keys = await node.keys(`${p}*`);
    for (const k of keys) await node.del(k);
  }
};

// The generation mark (docs/durability.md#the-generation-mark) is Redis's alone: the in-process stand-in dies with
// its process and everything it fenced. "Losing the data" here deletes every key of the store's prefix, which is
// what a restart without persistence leaves (the fault suite restarts a real redis-server).
describe.runIf(redisTargets.length > 0).each(redisTargets)('RedisState generation mark: %s', (_name, url) => {
  const prefix = () => `kc-test:${randomBytes(4).toString('hex')}:`;
  const stores: RedisState[] = [];
  /** A node of the store, once it has looked at its sentinels (as it does on connecting). */
  const open = async (p: string, ledger = processGenerationLedger()) => {
    const s = new RedisState(url(), p, { generations: ledger });
    stores.push(s);
    await s.sweep();
    return s;
  };
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    for (const s of stores) await s.close();
    await db?.drop();
  });

  it('a store seen for the first time has generation 0: nothing issued earlier is refused', async () => {
    const s = await open(prefix());
    expect((await s.readFenced([])).generationMs).toBe(0);
    expect(await s.claimOnce('n1', 'x', 10_000, 1)).toBe('won');
  });

  it('after a loss, claims and reads of anything issued before it are stale; later ones work', async () => {
    const p = prefix();
    const s = await open(p);
    const before = Date.now() - 5;
    expect(await s.claimOnce('n1', 'x', 60_000, before)).toBe('won');
    await lose(s, p);
    const lostAt = Date.now();
    // The redemption is gone from the store, yet the URL it spent is not served again.
    expect(await s.claimOnce('n1', 'x', 60_000, before)).toBe('stale');
    // On a cluster n1 and n2 may have fences of their own: the generation read is the newer of theirs.
    const r = await s.readFenced(['n1', 'n2']);
    expect(r.generationMs).toBeGreaterThanOrEqual(lostAt);
    expect(await s.claimOnce('n2', 'y', 60_000, r.generationMs + 1)).toBe('won');
    expect(await s.claimOnce('n2', 'y', 60_000, r.generationMs + 1)).toBe('taken');
  });

  it('all nodes agree on one generation; with the durable record a loss is never a first start', async () => {
    const p = prefix();
    const ledger = pgGenerationLedger(db.sql);
    const a = await open(p, ledger);
    expect((await a.readFenced([])).generationMs).toBe(0);
    await lose(a, p);
    const b = await open(p, ledger);
    const c = await open(p, ledger);
    const gens = await Promise.all([a, b, c].map(async (s) => (await s.readFenced([])).generationMs));
    expect(gens[0]).toBeGreaterThan(0);
    expect(new Set(gens).size).toBe(1);
    expect(await ledger.load(a.fenceOf('').store)).toBe(gens[0]);
  });

  it('a sentinel older than the newest recorded generation (data went back) starts a new generation', async () => {
    const p = prefix();
    const s = await open(p);
    await lose(s, p); // not a first start any more once a generation was recorded
    await s.readFenced(['old']);
    await lose(s, p);
    const g1 = (await s.readFenced(['old'])).generationMs;
    expect(g1).toBeGreaterThan(0);
    await s.redis.set(s.fenceOf('old').sentinel, String(g1 - 60_000));
    const g2 = (await s.readFenced(['old'])).generationMs;
    expect(g2).toBeGreaterThanOrEqual(g1);
    expect(await s.claimOnce('old', 'x', 10_000, g1 - 1)).toBe('stale');
  });

  it('the PostgreSQL ledger keeps the largest generation per store', async () => {
    const l = pgGenerationLedger(db.sql);
    const p = prefix();
    expect(await l.load(p)).toBeNull();
    expect(await l.record(p, 0)).toBe(0);
    expect(await l.record(p, 5000)).toBe(5000);
    expect(await l.record(p, 3000)).toBe(5000);
    expect(await l.load(p)).toBe(5000);
  });
});

// On a cluster every key lives in one of the fence buckets, each with its own sentinel in its own slot
// (docs/durability.md#on-redis-cluster): a master that loses its data costs the buckets it holds, not the others.
describe.runIf(withCluster)('RedisState on a Redis Cluster', () => {
  const stores: RedisState[] = [];
  const open = async (p = `kc-test:${randomBytes(4).toString('hex')}:`) => {
    const s = new RedisState(cluster!.url, p, { generations: processGenerationLedger() });
    stores.push(s);
    await s.sweep();
    return s;
  };
  afterAll(async () => {
    for (const s of stores) await s.close();
  });

  it('refuses a key prefix that would become every key’s hash tag', () => {
    expect(() => new RedisState(cluster!.url, 'kc:{x}:')).toThrow(/must not contain \{ or \}/);
  });

  it('one master loses its data: claims it held are stale, the other masters’ stand, new ones work', async () => {
    const s = await open();
    const keys = Array.from({ length: 48 }, (_, i) => `img:used:n${i}`);
    const before = Date.now() - 5;
    for (const k of keys) expect(await s.claimOnce(k, 'x', 60_000, before)).toBe('won');
    const masterOf = new Map(
      await Promise.all(keys.map(async (k) => [k, await cluster!.masterOf(s.fenceOf(k).sentinel)] as const)),
    );
    const lost = masterOf.get(keys[0])!;
    await cluster!.node(lost).flushall();
    const after = await Promise.all(keys.map((k) => s.claimOnce(k, 'x', 60_000, before)));
    const expected = keys.map((k) => (masterOf.get(k) === lost ? 'stale' : 'taken'));
    expect(after).toEqual(expected);
    expect(expected).toContain('taken'); // 48 keys over 3 masters: some elsewhere
    // The loss was found on the first claim and every bucket of that master swept at once: anything issued from
    // the next millisecond on is claimable in every bucket, including those whose loss nobody had noticed yet.
    const issued = Date.now() + 1;
    await new Promise((r) => setTimeout(r, 5));
    const fresh = Array.from({ length: 48 }, (_, i) => `img:used:m${i}`);
    expect(await Promise.all(fresh.map((k) => s.claimOnce(k, 'y', 60_000, issued)))).toEqual(fresh.map(() => 'won'));
  });

  it('keys sharing a {tag} share a slot with their sentinel; scripts over several buckets do not fail', async () => {
    const p = `kc-test:${randomBytes(4).toString('hex')}:`;
    const s = await open(p);
    // A rate-limit request touches its client's minute and day buckets in one script.
    const items = [
      { key: 'rl:c:{cl_1}:m60:1', by: 1, ttlMs: 60_000 },
      { key: 'rl:c:{cl_1}:d86400:1', by: 1, ttlMs: 60_000 },
    ];
    expect((await s.incrMany(items)).map((r) => r.value)).toEqual([1, 1]);
    const slot = async (stored: string) =>
      Number(await cluster!.node(cluster!.ports[0]).call('CLUSTER', 'KEYSLOT', stored));
    const slots = new Set<number>([await slot(s.fenceOf(items[0].key).sentinel)]);
    for (const node of (s.redis as Cluster).nodes('master'))
      for (const k of await node.keys(`${p}*cl_1*`)) slots.add(await slot(k));
    expect(slots.size).toBe(1);
    // Keys of many buckets at once: one script per bucket, results in the callers' order.
    const many = Array.from({ length: 20 }, (_, i) => ({ key: `ctr${i}`, by: i + 1, ttlMs: 60_000 }));
    expect((await s.incrMany(many)).map((r) => r.value)).toEqual(many.map((m) => m.by));
    for (const m of many) await s.set(`v:${m.key}`, String(m.by), 60_000);
    const r = await s.readFenced(many.map((m) => `v:${m.key}`));
    expect(r.values).toEqual(many.map((m) => String(m.by)));
    expect(r.generationMs).toBe(0);
  });

  // Last in this file: it takes the cluster down.
  it('a master down fails health and its keys fast; every master down fails every call within the deadline', async () => {
    const s = await open();
    const on = async (k: string) => cluster!.masterOf(s.fenceOf(k).sentinel);
    const down = cluster!.ports[1];
    const keys = Array.from({ length: 30 }, (_, i) => `k${i}`);
    const where = await Promise.all(keys.map(on));
    const there = keys[where.indexOf(down)];
    const elsewhere = keys[where.findIndex((p) => p !== down)];
    await cluster!
      .node(down)
      .call('SHUTDOWN', 'NOSAVE')
      .catch(() => {});
    const timed = async (p: Promise<unknown>) => {
      const t = Date.now();
      // A failure must read as "dependency down" (503 to the client, tolerated where the app can), not as a bug.
      const r = await p.then(
        () => 'ok',
        (e: unknown) => (isDependencyDown(e) ? 'failed' : `failed unclassified: ${(e as Error).message}`),
      );
      return { r, ms: Date.now() - t };
    };
    // Once the client has seen the connection close, health names the master (bounded wait for that).
    const end = Date.now() + 10_000;
    while (
      (await s.ping().then(
        () => true,
        () => false,
      )) &&
      Date.now() < end
    )
      await new Promise((r) => setTimeout(r, 50));
    await expect(s.ping()).rejects.toThrow(/not reachable|no master/);
    const a = await timed(s.claimOnce(there, 'x', 10_000, Date.now()));
    expect(a.r).toBe('failed');
    expect(a.ms).toBeLessThan(5_000);
    expect(await s.claimOnce(elsewhere, 'x', 10_000, Date.now())).toBe('won');
    for (const p of cluster!.ports)
      await cluster!
        .node(p)
        .call('SHUTDOWN', 'NOSAVE')
        .catch(() => {});
    // Our calls and the login throttle's (rate-limiter-flexible on the same client) get the same deadline.
    const limiter = s.rateLimiter({ keyPrefix: 'rl-down', points: 5, durationSec: 60 });
    const [b, c] = await Promise.all([timed(s.get(elsewhere)), timed(limiter.get('ip:203.0.113.9'))]);
    for (const x of [b, c]) {
      expect(x.r).toBe('failed');
      expect(x.ms).toBeLessThan(5_000);
    }
  });
});
