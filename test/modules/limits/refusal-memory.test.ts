// Refusals from memory (docs/limits.md#refusals-from-memory): a node that found a bucket set full answers its next
// requests for at most REFUSAL_MEMORY_MS without asking shared state, never past the window; a refund on the node
// drops the memory at once; a request that could still fit, or other limits, always asks shared state. Run on Redis
// and on the in-process store, with the limiter's clock moved by hand.
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { RateLimiter, REFUSAL_MEMORY_MS } from '../../../src/modules/limits/rate-limiter.ts';
import { MemoryState } from '../../../src/platform/shared-state/memory-state.ts';
import { RedisState } from '../../../src/platform/shared-state/redis-state.ts';
import type { SharedState } from '../../../src/platform/shared-state/shared-state.ts';

const stores: [string, () => SharedState][] = [['memory', () => new MemoryState()]];
if (process.env.REDIS_URL)
  stores.push(['redis', () => new RedisState(process.env.REDIS_URL!, `kc-test:${randomBytes(6).toString('hex')}:`)]);

const WINDOWS = { minuteSec: 60, daySec: 86_400 };

describe.each(stores)('refusals from memory on %s', (_name, make) => {
  const state = make();
  afterAll(async () => {
    await state.close();
  });

  /** A limiter of 2 requests per IP and minute whose clock starts 1 s into a minute window. */
  function limiter(perMinute = 2) {
    const clock = { ms: (Math.floor(Date.now() / 60_000) + 1) * 60_000 + 1_000 };
    const ip = `10.${randomBytes(3).join('.')}`;
    const l = new RateLimiter(state, WINDOWS, perMinute, () => clock.ms);
    const key = `rl:ip:{${ip}}:m60:${Math.floor(clock.ms / 60_000)}`;
    return { l, ip, clock, key, count: async () => Number((await state.get(key)) ?? 0) };
  }

  it('answers a full bucket from memory for at most REFUSAL_MEMORY_MS, then asks shared state again', async () => {
    const { l, ip, clock, key, count } = limiter();
    expect((await l.forIp(ip)).allowed).toBe(true);
    expect((await l.forIp(ip)).allowed).toBe(true);
    const refused = await l.forIp(ip);
    expect(refused.allowed).toBe(false);
    expect(refused.retryAfterSec).toBe(59);
    expect(await count()).toBe(2);
    // Another node gives a point back: this node does not see it while it remembers the refusal.
    await state.incrMany([{ key, by: -1, ttlMs: 120_000 }]);
    clock.ms += REFUSAL_MEMORY_MS - 1;
    const fromMemory = await l.forIp(ip);
    expect(fromMemory.allowed).toBe(false);
    expect(fromMemory.retryAfterSec).toBe(59); // 58.001 s left, rounded up
    expect(fromMemory.buckets).toEqual(refused.buckets);
    expect(await count()).toBe(1); // memory counted nothing
    clock.ms += 1;
    expect((await l.forIp(ip)).allowed).toBe(true);
    expect(await count()).toBe(2);
  });

  it('never past the window: the next window asks shared state', async () => {
    const { l, ip, clock } = limiter(1);
    clock.ms += 58_500; // 500 ms before the window ends
    expect((await l.forIp(ip)).allowed).toBe(true);
    expect((await l.forIp(ip)).allowed).toBe(false);
    clock.ms += 500;
    expect((await l.forIp(ip)).allowed).toBe(true);
  });

  it('a refund on this node frees the slot at once', async () => {
    const { l, ip } = limiter();
    const first = await l.forIp(ip);
    await l.forIp(ip);
    expect((await l.forIp(ip)).allowed).toBe(false);
    await l.refund(first);
    expect((await l.forIp(ip)).allowed).toBe(true);
  });

  it('a bucket that still fits a smaller request, or other limits, asks shared state', async () => {
    const { l, ip, count } = limiter(5);
    expect((await l.forIp(ip, 3)).allowed).toBe(true);
    expect((await l.forIp(ip, 3)).allowed).toBe(false); // 3 + 3 > 5, but 2 are left
    expect((await l.forIp(ip, 1)).allowed).toBe(true);
    expect(await count()).toBe(4);

    const client = {
      clientId: `cl_${randomBytes(4).toString('hex')}`,
      tier: 'free' as const,
      limits: { perMinute: 1, perDay: 100 },
    };
    expect((await l.forClient(client)).allowed).toBe(true);
    expect((await l.forClient(client)).allowed).toBe(false);
    // A new tier is a new set of limits: asked of shared state, not refused from memory.
    expect((await l.forClient({ ...client, limits: { perMinute: 2, perDay: 100 } })).allowed).toBe(true);
  });
});
