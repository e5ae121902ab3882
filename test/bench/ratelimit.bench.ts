// Cost of the rate limiter per request (both buckets): sequential latency and concurrent throughput over
// Redis (REDIS_URL) or the in-process store. Run: REDIS_URL=redis://127.0.0.1:6379 node --import tsx test/bench/ratelimit.bench.ts

import { RateLimiter } from '../../src/modules/limits/rate-limiter.ts';
import { createSharedState } from '../../src/platform/shared-state/index.ts';

const state = createSharedState(process.env.REDIS_URL, `kc-bench:${Date.now()}:`);
const limiter = new RateLimiter(state, { minuteSec: 60, daySec: 86_400 }, 1000);
const principal = (i: number) => ({
  clientId: `bench-${i % 1000}`,
  tier: 'enterprise' as const,
  limits: { perMinute: 1e9, perDay: 1e9 },
});

for (let i = 0; i < 2000; i++) await limiter.forClient(principal(i)); // warm up
const n = 20_000;
let t = performance.now();
for (let i = 0; i < n; i++) await limiter.forClient(principal(i));
const seqUs = ((performance.now() - t) * 1000) / n;

t = performance.now();
const inflight = 64;
let next = 0;
await Promise.all(
  Array.from({ length: inflight }, async () => {
    while (next < n) await limiter.forClient(principal(next++));
  }),
);
const perSec = n / ((performance.now() - t) / 1000);
process.stdout.write(
  `${state.kind}: sequential ${seqUs.toFixed(1)} µs/request (both buckets); ${inflight} in flight: ${Math.round(perSec)} requests/s\n`,
);
await state.close();
