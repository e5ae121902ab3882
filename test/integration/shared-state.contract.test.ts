// One contract, two implementations: the in-process stand-in always, Redis whenever REDIS_URL is set.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { MemoryState } from '../../src/shared-state/memory-state.ts';
import { RedisState } from '../../src/shared-state/redis-state.ts';
import type { SharedState } from '../../src/shared-state/shared-state.ts';
import { pgGenerationLedger, processGenerationLedger } from '../../src/shared-state/generation-ledger.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';

const impls: [string, () => SharedState][] = [['memory', () => new MemoryState()]];
if (process.env.REDIS_URL)
  impls.push(['redis', () => new RedisState(process.env.REDIS_URL!, `kc-test:${randomBytes(4).toString('hex')}:`)]);

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

// The generation mark (docs/durability.md#the-generation-mark) is Redis's alone: the in-process stand-in dies with
// its process and everything it fenced. "Losing the data" here deletes every key of the store's prefix, which is
// what a restart without persistence leaves (the fault suite restarts a real redis-server).
describe.runIf(process.env.REDIS_URL)('RedisState generation mark', () => {
  const prefix = () => `kc-test:${randomBytes(4).toString('hex')}:`;
  const lose = async (s: RedisState, p: string) => {
    const keys = await s.redis.keys(`${p}*`);
    if (keys.length) await s.redis.del(...keys);
  };
  const stores: RedisState[] = [];
  const open = (p: string, ledger = processGenerationLedger()) => {
    const s = new RedisState(process.env.REDIS_URL!, p, { generations: ledger });
    stores.push(s);
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
    const s = open(prefix());
    expect((await s.readFenced([])).generationMs).toBe(0);
    expect(await s.claimOnce('n1', 'x', 10_000, 1)).toBe('won');
  });

  it('after a loss, claims and reads of anything issued before it are stale; later ones work', async () => {
    const p = prefix();
    const s = open(p);
    const before = Date.now() - 5;
    expect(await s.claimOnce('n1', 'x', 60_000, before)).toBe('won');
    await lose(s, p);
    const lostAt = Date.now();
    // The redemption is gone from the store, yet the URL it spent is not served again.
    expect(await s.claimOnce('n1', 'x', 60_000, before)).toBe('stale');
    const r = await s.readFenced(['n1']);
    expect(r.generationMs).toBeGreaterThanOrEqual(lostAt);
    expect(await s.claimOnce('n2', 'y', 60_000, r.generationMs + 1)).toBe('won');
    expect(await s.claimOnce('n2', 'y', 60_000, r.generationMs + 1)).toBe('taken');
  });

  it('all nodes agree on one generation; with the durable record a loss is never a first start', async () => {
    const p = prefix();
    const ledger = pgGenerationLedger(db.sql);
    const a = open(p, ledger);
    expect((await a.readFenced([])).generationMs).toBe(0);
    await lose(a, p);
    const b = open(p, ledger);
    const c = open(p, ledger);
    const gens = await Promise.all([a, b, c].map(async (s) => (await s.readFenced([])).generationMs));
    expect(gens[0]).toBeGreaterThan(0);
    expect(new Set(gens).size).toBe(1);
    expect(await ledger.load(p)).toBe(gens[0]);
  });

  it('a sentinel older than the newest recorded generation (data went back) starts a new generation', async () => {
    const p = prefix();
    const s = open(p);
    await lose(s, p); // not a first start any more once a generation was recorded
    await s.readFenced([]);
    await lose(s, p);
    const g1 = (await s.readFenced([])).generationMs;
    expect(g1).toBeGreaterThan(0);
    await s.redis.set(`${p}gen`, String(g1 - 60_000));
    const g2 = (await s.readFenced([])).generationMs;
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
