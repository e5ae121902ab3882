// The whole app on a 3-master Redis Cluster of this file's own (REDIS_URL redis+cluster://…): one-shot image
// URLs, the rate limiter's script, the login throttle (rate-limiter-flexible) and revocation checks all run
// there, and losing the cluster's data fences what was issued before (docs/durability.md#on-redis-cluster).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { usedKey } from '../../../src/modules/images/image-delivery.service.ts';
import { openToken } from '../../../src/modules/images/signed-url-token.ts';
import type { RedisState } from '../../../src/platform/shared-state/redis-state.ts';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { call } from '../../helpers/http.ts';
import { type OwnRedisCluster, startOwnRedisCluster } from '../../helpers/redis-cluster.ts';
import { exchangeKey, seed } from '../../helpers/testkit.ts';
import { mustRunWith } from '../../helpers/tools.ts';

describe.runIf(mustRunWith('redis-server', 'apt-get install redis-server'))('the app on a Redis Cluster', () => {
  let cluster: OwnRedisCluster;
  let app: TestApp;
  let barcode: string;

  beforeAll(async () => {
    cluster = await startOwnRedisCluster();
    app = await startTestApp({
      env: { REDIS_URL: cluster.url, AUTH_FAILED_PER_MINUTE: '2', TRUSTED_PROXIES: '127.0.0.1/32' },
    });
    expect(app.service.infra.state.kind).toBe('redis');
    barcode = (await seed(app).product({ images: ['front'] })).barcode;
  });
  afterAll(async () => {
    await app?.close();
    await cluster?.stop();
  });

  const imageUrl = async (accessToken: string) => {
    const res = await call(app.url, `/api/v1/products/${barcode}?include=images`, { token: accessToken });
    expect(res.status).toBe(200);
    return res.body.images.front as string;
  };
  const errorOf = async (r: Response) => ({ status: r.status, error: ((await r.json()) as { error: string }).error });

  it('a paid read’s image URL is delivered once, then refused', async () => {
    const c = await seed(app).client({ credits: 10 });
    const url = await imageUrl(c.accessToken);
    const first = await fetch(url);
    expect(first.status).toBe(200);
    await first.arrayBuffer();
    expect(await errorOf(await fetch(url))).toEqual({ status: 410, error: 'signed_url_used' });
  });

  it('the rate limiter counts on the cluster: past the minute bucket, 429 with Retry-After', async () => {
    const c = await seed(app).client({ limits: { per_minute: 3 } }); // provisioning made the first exchange
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 4; i++) {
      const r = await call(app.url, '/api/v1/balance', { token: c.accessToken });
      statuses.push(r.status);
      if (r.status === 429) retryAfter = r.headers.get('retry-after');
    }
    expect(statuses).toEqual([200, 200, 429, 429]);
    expect(Number(retryAfter)).toBeGreaterThan(0);
    // Both of the client's buckets live in one slot (one script per request): every key naming it shares a slot.
    const slots = new Set<number>();
    for (const port of cluster.ports)
      for (const k of await cluster.node(port).keys(`${app.redisPrefix}*{${c.clientId}}*`))
        slots.add(Number(await cluster.node(port).call('CLUSTER', 'KEYSLOT', k)));
    expect(slots.size).toBe(1);
  });

  it('the login throttle (rate-limiter-flexible) counts failures on the cluster', async () => {
    const c = await seed(app).client();
    // From an address of its own, so the other tests' exchanges (from 127.0.0.1) are not throttled.
    const wrong = () =>
      call(app.url, '/api/v1/auth/token', {
        body: { client_id: c.clientId, api_key: 'kc_wrong' },
        headers: { 'x-forwarded-for': '203.0.113.7' },
      });
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await wrong()).status);
    expect(statuses).toEqual([401, 401, 429]);
  });

  it('every master loses its data: URLs and tokens issued before are refused, those issued after work', async () => {
    const c = await seed(app).client({ credits: 10 });
    const before = await imageUrl(c.accessToken);
    for (const port of cluster.ports) await cluster.node(port).flushall();
    // The redemption (if any) was in the lost data: the URL is refused, not served a second time.
    expect(await errorOf(await fetch(before))).toEqual({ status: 410, error: 'signed_url_expired' });
    const stale = await call(app.url, '/api/v1/balance', { token: c.accessToken });
    expect(stale.status).toBe(401);
    // Tokens carry whole seconds: those of the generation's own second are refused too (fail closed).
    await new Promise((r) => setTimeout(r, 1100));
    const fresh = await exchangeKey(app.url, c.clientId, c.apiKey);
    const after = await imageUrl(fresh.accessToken);
    const r = await fetch(after);
    expect(r.status).toBe(200);
    await r.arrayBuffer();
    expect(await errorOf(await fetch(after))).toEqual({ status: 410, error: 'signed_url_used' });
  });

  it('one master restarts empty: URLs whose claims lived there are refused, the other masters’ stand', async () => {
    const c = await seed(app).client({ credits: 100 });
    const urls: string[] = [];
    for (let i = 0; i < 12; i++) urls.push(await imageUrl(c.accessToken));
    // Where each URL's one-shot claim lives: the master of its nonce's bucket.
    const state = app.service.infra.state as unknown as RedisState;
    const where = await Promise.all(
      urls.map((u) => {
        const v = openToken(u.slice(u.lastIndexOf('/') + 1), app.config.images.urlKeys);
        if (!v.ok) throw new Error('the app issued a token it cannot open');
        return cluster.masterOf(state.fenceOf(usedKey(v.claims.nonce)).sentinel);
      }),
    );
    const lost = where[0];
    expect(where.some((p) => p !== lost)).toBe(true); // 12 nonces over 3 masters
    const outcome = async (u: string) => {
      const r = await fetch(u);
      if (r.status === 200) {
        await r.arrayBuffer();
        return 'served';
      }
      return (await errorOf(r)).error;
    };
    for (const u of urls.slice(0, 6)) expect(await outcome(u)).toBe('served');

    await cluster.restart(lost);
    // The client reconnects to the restarted master on its own (slot map re-read every 5 s), before any request
    // touches its keys; health is 200 again only when every slot's master is connected and answers.
    const end = Date.now() + 15_000;
    let health = 0;
    while ((health = (await fetch(`${app.url}/api/v1/health`)).status) !== 200 && Date.now() < end)
      await new Promise((r) => setTimeout(r, 100));
    expect(health).toBe(200);

    const after: string[] = [];
    for (const u of urls) after.push(await outcome(u));
    expect(after).toEqual(
      urls.map((_, i) => (where[i] === lost ? 'signed_url_expired' : i < 6 ? 'signed_url_used' : 'served')),
    );
    // URLs issued after the loss was found (and every bucket of that master swept) work once, wherever they live.
    await new Promise((r) => setTimeout(r, 1100));
    const fresh = await exchangeKey(app.url, c.clientId, c.apiKey);
    const later: string[] = [];
    for (let i = 0; i < 6; i++) later.push(await imageUrl(fresh.accessToken));
    for (const u of later) expect(await outcome(u)).toBe('served');
  });
});
