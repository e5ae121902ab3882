// One contract, two implementations: the in-process stand-in always, Redis whenever REDIS_URL is set.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { MemoryState } from '../../src/shared-state/memory-state.ts';
import { RedisState } from '../../src/shared-state/redis-state.ts';
import type { SharedState } from '../../src/shared-state/shared-state.ts';

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
    await s.set('a', 'x', 150);
    expect(await s.get('a')).toBe('x');
    await sleep(250);
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

  it('answers ping', async () => {
    await expect(s.ping()).resolves.toBeUndefined();
  });
});
