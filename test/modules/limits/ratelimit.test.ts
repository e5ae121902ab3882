// Rate limits (docs/limits.md): minute and UTC-day buckets per client, held across two nodes sharing Redis
// (with the in-process stand-in there is one node to share with), 429 + Retry-After, refused requests and
// 5xx not counted, resets, and the docs/rest.md#response-headers headers on 2xx / 4xx / 429 / HEAD / unauthenticated answers.

import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../../helpers/app.ts';
import { call, type JsonResponse } from '../../helpers/http.ts';
import { type Deployment, startNodes } from '../../helpers/nodes.ts';
import { useStrictOpenApi } from '../../helpers/openapi.ts';
import { seed } from '../../helpers/testkit.ts';

const shared = !!process.env.REDIS_URL;
const num = (r: JsonResponse, h: string) => Number(r.headers.get(h));

/** Waits until at least `need` seconds remain in the current window of `windowSec` (aligned to the epoch). */
async function freshWindow(windowSec: number, need: number): Promise<void> {
  const left = windowSec * 1000 - (Date.now() % (windowSec * 1000));
  if (left < need * 1000) await sleep(left + 50);
}

// Every response these tests see must match schema/openapi.yaml.
useStrictOpenApi();

describe(`rate limits across ${shared ? 'two nodes sharing Redis' : 'one node (in-process store)'}`, () => {
  let deployment: Deployment<TestApp>;
  let a: TestApp;
  let b: TestApp;
  const nodes = () => (shared ? [a, b] : [a, a]);

  beforeAll(async () => {
    deployment = await startNodes(shared ? 2 : 1);
    [a, b = a] = deployment.nodes;
  });
  afterAll(async () => {
    await deployment.close();
  });

  it('exhausts the minute bucket across nodes: 429 rate_limited with Retry-After, refused requests not counted', async () => {
    const c = await seed(a).client({ limits: { per_minute: 5, per_day: 100 } });
    await freshWindow(60, 10);
    const first = await call(a.url, '/api/v1/balance', { token: c.accessToken });
    expect(first.status).toBe(200);
    expect(num(first, 'x-ratelimit-limit-minute')).toBe(5);
    expect(num(first, 'x-ratelimit-limit-day')).toBe(100);
    let left = num(first, 'x-ratelimit-remaining-minute');
    const dayBefore = num(first, 'x-ratelimit-remaining-day');
    let i = 0;
    while (left > 0) {
      const r = await call(nodes()[i++ % 2].url, '/api/v1/balance', { token: c.accessToken });
      expect(r.status).toBe(200);
      expect(num(r, 'x-ratelimit-remaining-minute')).toBe(left - 1);
      left--;
    }
    for (const node of nodes()) {
      const r = await call(node.url, '/api/v1/balance', { token: c.accessToken });
      expect(r.status).toBe(429);
      expect(r.body).toEqual({
        error: 'rate_limited',
        message: expect.stringContaining('minute'),
        request_id: r.headers.get('x-request-id'),
      });
      const retry = num(r, 'retry-after');
      expect(retry).toBeGreaterThanOrEqual(1);
      expect(retry).toBeLessThanOrEqual(60);
      expect(num(r, 'x-ratelimit-remaining-minute')).toBe(0);
      expect(num(r, 'x-ratelimit-reset')).toBe(Math.ceil(Date.now() / 60_000) * 60);
      expect(r.headers.get('x-credits-debited')).toBe('0');
      // The refused requests did not drain the day bucket.
      expect(num(r, 'x-ratelimit-remaining-day')).toBe(dayBefore - i);
      expect(r.headers.get('ratelimit')).toMatch(/^"minute";r=0;t=\d+, "day";r=\d+;t=\d+$/);
    }
  });

  it('exhausts the UTC-day bucket: 429 until midnight UTC, X-RateLimit-Reset is that midnight', async () => {
    const c = await seed(a).client({ limits: { per_minute: 100, per_day: 4 } });
    const statuses: number[] = [];
    let last!: JsonResponse;
    for (let i = 0; i < 6; i++) {
      last = await call(nodes()[i % 2].url, '/api/v1/account', { token: c.accessToken });
      statuses.push(last.status);
    }
    // The key exchange counted once (docs/limits.md): three requests fit, then the day is spent.
    expect(statuses).toEqual([200, 200, 200, 429, 429, 429]);
    const midnight = Math.ceil(Date.now() / 86_400_000) * 86_400;
    expect(num(last, 'x-ratelimit-reset')).toBe(midnight);
    expect(num(last, 'x-ratelimit-remaining-day')).toBe(0);
    expect(Math.abs(num(last, 'retry-after') - (midnight - Date.now() / 1000))).toBeLessThan(3);
    expect(last.body.message).toContain('day');
    expect(last.headers.get('ratelimit-policy')).toBe('"minute";q=100;w=60, "day";q=4;w=86400');
  });

  it('does not count a request that ends in a 5xx', async () => {
    const c = await seed(a).client({ limits: { per_minute: 50, per_day: 1000 } });
    // A node whose database goes away after it cached the client row: authentication passes, the handler 503s.
    const broken = await deployment.add({ AUTH_CLIENT_CACHE_MS: '5000' });
    try {
      await freshWindow(60, 10);
      const before = await call(broken.url, '/api/v1/balance', { token: c.accessToken });
      expect(before.status).toBe(200);
      const m = num(before, 'x-ratelimit-remaining-minute');
      const d = num(before, 'x-ratelimit-remaining-day');
      await broken.service.infra.sql.end({ timeout: 1 });
      for (let i = 0; i < 3; i++) {
        const failed = await call(broken.url, '/api/v1/balance', { token: c.accessToken });
        expect(failed.status).toBe(503);
        expect(failed.body.error).toBe('service_unavailable');
        // Counted while it ran, given back once it failed: every failure sees the same budget.
        expect(num(failed, 'x-ratelimit-remaining-minute')).toBe(m - 1);
        expect(num(failed, 'x-ratelimit-remaining-day')).toBe(d - 1);
        await sleep(50); // settle runs after the response is written
      }
      if (shared) {
        const after = await call(a.url, '/api/v1/balance', { token: c.accessToken });
        expect(after.status).toBe(200);
        expect(num(after, 'x-ratelimit-remaining-minute')).toBe(m - 1);
      }
    } finally {
      await broken.close().catch(() => {});
    }
  });

  it('puts the headers on 2xx, 4xx and HEAD answers; unauthenticated answers carry the per-IP minute pair only', async () => {
    const c = await seed(a).client({ tier: 'free' });
    const ok = await call(a.url, '/api/v1/balance', { token: c.accessToken });
    const bad = await call(a.url, '/api/v1/usage?group_by=colour', { token: c.accessToken });
    const head = await fetch(`${b.url}/api/v1/account`, {
      method: 'HEAD',
      headers: { authorization: `Bearer ${c.accessToken}` },
    });
    expect([ok.status, bad.status, head.status]).toEqual([200, 400, 200]);
    const remaining: number[] = [];
    for (const h of [ok.headers, bad.headers, head.headers]) {
      expect(h.get('x-ratelimit-limit-minute')).toBe('30');
      expect(h.get('x-ratelimit-limit-day')).toBe('500');
      expect(h.get('ratelimit-policy')).toBe('"minute";q=30;w=60, "day";q=500;w=86400');
      expect(h.get('ratelimit')).toMatch(/^"minute";r=\d+;t=\d{1,2}, "day";r=\d+;t=\d+$/);
      expect(Number(h.get('x-ratelimit-reset'))).toBeGreaterThan(Date.now() / 1000);
      remaining.push(Number(h.get('x-ratelimit-remaining-day')));
    }
    // 4xx counts (docs/limits.md), HEAD too: each answer shows one fewer.
    expect(remaining[1]).toBe(remaining[0] - 1);
    expect(remaining[2]).toBe(remaining[1] - 1);

    for (const anon of [
      await call(a.url, '/api/v1/pricing'),
      await call(a.url, '/api/v1/balance'),
      await call(a.url, '/api/v1/balance', { token: 'not-a-token' }),
      await call(a.url, '/api/v1/no-such-route'),
    ]) {
      expect(anon.headers.get('x-ratelimit-limit-minute')).toBe('300');
      expect(Number(anon.headers.get('x-ratelimit-remaining-minute'))).toBeLessThan(300);
      expect(anon.headers.get('x-ratelimit-limit-day')).toBeNull();
      expect(anon.headers.get('ratelimit-policy')).toBe('"minute";q=300;w=60');
    }
  });
});

// Short windows, a 3 s "minute" and a 6 s "day": long enough that the two or three requests each step makes
// fall inside one window even when the machine is busy, short enough to watch both reset.
const MINUTE_SEC = 3;
const DAY_SEC = 6;
describe(`rate-limit windows reset (short windows: a ${MINUTE_SEC} s "minute" and a ${DAY_SEC} s "day")`, () => {
  let deployment: Deployment<TestApp>;
  let a: TestApp;
  let b: TestApp;
  beforeAll(async () => {
    const env = { RATE_LIMIT_MINUTE_WINDOW_SEC: String(MINUTE_SEC), RATE_LIMIT_DAY_WINDOW_SEC: String(DAY_SEC) };
    deployment = await startNodes(shared ? 2 : 1, { env });
    [a, b = a] = deployment.nodes;
  });
  afterAll(async () => {
    await deployment.close();
  });

  it('refills the minute bucket, then the day bucket, at the reset they announced', async () => {
    const c = await seed(a).client({ limits: { per_minute: 2, per_day: 3 } });
    const get = (node: TestApp) => call(node.url, '/api/v1/balance', { token: c.accessToken });
    // Start at the beginning of a "day" so both buckets are fresh.
    await sleep(DAY_SEC * 1000 - (Date.now() % (DAY_SEC * 1000)) + 30);
    expect((await get(a)).status).toBe(200);
    expect((await get(b)).status).toBe(200);
    const minuteFull = await get(a);
    expect(minuteFull.status).toBe(429);
    expect(minuteFull.body.message).toContain('minute');
    const minuteReset = num(minuteFull, 'x-ratelimit-reset');
    expect(num(minuteFull, 'retry-after')).toBeLessThanOrEqual(MINUTE_SEC);

    await sleep(minuteReset * 1000 - Date.now() + 30);
    const third = await get(b);
    expect(third.status).toBe(200);
    expect(num(third, 'x-ratelimit-remaining-day')).toBe(0);
    const dayFull = await get(a);
    expect(dayFull.status).toBe(429);
    expect(dayFull.body.message).toContain('day');
    expect(num(dayFull, 'x-ratelimit-remaining-minute')).toBe(1);
    const dayReset = num(dayFull, 'x-ratelimit-reset');
    expect(dayReset % DAY_SEC).toBe(0);

    await sleep(dayReset * 1000 - Date.now() + 30);
    const fresh = await get(b);
    expect(fresh.status).toBe(200);
    expect(num(fresh, 'x-ratelimit-remaining-day')).toBe(2);
    expect(num(fresh, 'x-ratelimit-remaining-minute')).toBe(1);
  });
});
