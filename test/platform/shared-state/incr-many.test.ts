// SharedState.incrMany, the rate limiter's one-round-trip primitive, behaves the same on Redis and in process:
// values add up (negative too), the TTL is set when a counter is created and kept after, keys expire.

import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { MemoryState } from '../../../src/platform/shared-state/memory-state.ts';
import { RedisState } from '../../../src/platform/shared-state/redis-state.ts';
import type { SharedState } from '../../../src/platform/shared-state/shared-state.ts';

const stores: [string, () => SharedState][] = [['memory', () => new MemoryState()]];
if (process.env.REDIS_URL)
  stores.push(['redis', () => new RedisState(process.env.REDIS_URL!, `kc-test:${randomBytes(6).toString('hex')}:`)]);

describe.each(stores)('incrMany on %s', (_name, make) => {
  const state = make();
  afterAll(async () => {
    await state.close();
  });

  it('adds to several counters at once and reports each value and TTL', async () => {
    const k = randomBytes(4).toString('hex');
    expect(await state.incrMany([])).toEqual([]);
    const first = await state.incrMany([
      { key: `${k}:a`, by: 1, ttlMs: 60_000 },
      { key: `${k}:b`, by: 5, ttlMs: 2_000 },
    ]);
    expect(first.map((r) => r.value)).toEqual([1, 5]);
    expect(first[0].ttlMs).toBeGreaterThan(59_000);
    expect(first[1].ttlMs).toBeLessThanOrEqual(2_000);
    const second = await state.incrMany([
      { key: `${k}:a`, by: -1, ttlMs: 1 },
      { key: `${k}:b`, by: 2, ttlMs: 99_999 },
    ]);
    expect(second.map((r) => r.value)).toEqual([0, 7]);
    // The TTL of an existing counter is not reset by later calls.
    expect(second[0].ttlMs).toBeGreaterThan(59_000);
    expect(second[1].ttlMs).toBeLessThanOrEqual(2_000);
    expect(await state.get(`${k}:b`)).toBe('7');
  });

  it('lets counters expire with their TTL', async () => {
    const k = randomBytes(4).toString('hex');
    await state.incrMany([{ key: k, by: 3, ttlMs: 150 }]);
    await sleep(300);
    expect((await state.incrMany([{ key: k, by: 1, ttlMs: 1000 }]))[0].value).toBe(1);
  });
});
