// GET /metrics: Prometheus text behind the admin token, from the app's own registry. A billed read, a GraphQL
// read, an image redemption and a rate-limit refusal each move their counters by exactly what happened.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { call } from '../../helpers/http.ts';
import { picture, seed } from '../../helpers/testkit.ts';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app?.close();
});

type Samples = Map<string, number>;

/** `name{a="x",b="y"} value` lines -> "name{a="x",b="y"}" -> value (labels as printed, in prom-client's order). */
function parse(text: string): Samples {
  const out: Samples = new Map();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const i = line.lastIndexOf(' ');
    out.set(line.slice(0, i), Number(line.slice(i + 1)));
  }
  return out;
}

async function scrape(a: TestApp = app): Promise<Samples> {
  const res = await call(a.url, '/admin/v1/metrics', { token: a.adminToken });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return parse(res.body as string);
}

/** The sum of every sample of a metric whose labels include all the given ones. */
function sum(s: Samples, name: string, labels: Record<string, string> = {}): number {
  let total = 0;
  for (const [k, v] of s) {
    const base = k.includes('{') ? k.slice(0, k.indexOf('{')) : k;
    if (base !== name) continue;
    if (Object.entries(labels).every(([l, val]) => k.includes(`${l}="${val}"`))) total += v;
  }
  return total;
}

const delta = (before: Samples, after: Samples, name: string, labels?: Record<string, string>) =>
  Math.round((sum(after, name, labels) - sum(before, name, labels)) * 1e6) / 1e6;

describe('metrics', () => {
  it('needs the admin token, at /metrics and /admin/v1/metrics', async () => {
    expect((await call(app.url, '/admin/v1/metrics')).status).toBe(401);
    expect((await fetch(`${app.url}/metrics`)).status).toBe(401);
    const res = await fetch(`${app.url}/metrics`, { headers: { authorization: `Bearer ${app.adminToken}` } });
    expect(res.status).toBe(200);
    const s = parse(await res.text());
    expect(sum(s, 'nodejs_eventloop_lag_seconds')).toBeGreaterThanOrEqual(0);
    expect(s.has('nodejs_eventloop_lag_p99_seconds')).toBe(true);
  });

  it('count a billed REST read, its cache miss then hit, a GraphQL read, redemptions and renders', async () => {
    const p = await seed(app).product({ images: { front: await picture(900, 900, 'jpeg') } });
    const client = await seed(app).client({ credits: 10 });
    const before = await scrape();

    const read = await call(app.url, `/api/v1/products/${p.barcode}?include=product_meta,images&variants=front`, {
      token: client.accessToken,
    });
    expect(read.status).toBe(200);
    const debited = Number(read.headers.get('x-credits-debited'));
    expect(debited).toBeGreaterThan(0);
    const again = await call(app.url, `/api/v1/products/${p.barcode}?include=product_meta`, {
      token: client.accessToken,
    });
    const debitedAgain = Number(again.headers.get('x-credits-debited'));
    const gql = await call(app.url, '/graphql', {
      token: client.accessToken,
      body: {
        query: 'query($b: Barcode!) { product(barcode: $b) { productMeta { brand } } }',
        variables: { b: p.barcode },
      },
    });
    expect(gql.body.errors).toBeUndefined();
    const debitedGql = Number(gql.headers.get('x-credits-debited'));
    expect(debitedGql).toBeGreaterThan(0);
    const url: string = read.body.images.front;
    expect((await fetch(url)).status).toBe(200);
    expect((await fetch(url)).status).toBe(410);

    const after = await scrape();
    const route = { method: 'GET', route: '/api/v1/products/:barcode', status: '200' };
    expect(delta(before, after, 'kc_http_requests_total', route)).toBe(2);
    expect(delta(before, after, 'kc_http_request_duration_seconds_count', { route: '/api/v1/products/:barcode' })).toBe(
      2,
    );
    expect(delta(before, after, 'kc_http_requests_total', { route: '/graphql', status: '200' })).toBe(1);
    expect(delta(before, after, 'kc_http_requests_total', { route: '/api/v1/image/:token', status: '410' })).toBe(1);
    expect(delta(before, after, 'kc_credits_debited_total')).toBe(debited + debitedAgain + debitedGql);
    expect(delta(before, after, 'kc_credits_debited_total', { action: 'products.get' })).toBeGreaterThan(0);
    expect(delta(before, after, 'kc_debits_total', { result: 'admitted' })).toBe(3);
    expect(delta(before, after, 'kc_debit_lines_total', { action: 'products.get' })).toBe(3);
    expect(delta(before, after, 'kc_debit_lines_total', { action: 'products.get.per_image' })).toBe(1);
    expect(delta(before, after, 'kc_debit_batch_size_count')).toBe(3);
    expect(delta(before, after, 'kc_debit_batch_size_sum')).toBe(3);
    // The first read missed the catalog cache; the next two found the product in it, unless the image upload's
    // invalidation (NOTIFY, asynchronous) arrived after the first read and dropped it: then one more miss.
    const misses = delta(before, after, 'kc_catalog_cache_requests_total', { result: 'miss' });
    expect(misses).toBeGreaterThanOrEqual(1);
    expect(misses).toBeLessThanOrEqual(2);
    expect(misses + delta(before, after, 'kc_catalog_cache_requests_total', { result: 'hit' })).toBe(3);
    // The counts tests read synchronously are the registry's numbers.
    expect(sum(after, 'kc_catalog_lookup_queries_total')).toBe(app.service.app.counters.get('catalog.lookups'));
    expect(sum(after, 'kc_debit_requests_total')).toBe(app.service.app.counters.get('debit.statements'));
    expect(delta(before, after, 'kc_image_redemptions_total', { result: 'ok' })).toBe(1);
    expect(delta(before, after, 'kc_image_redemptions_total', { result: 'signed_url_used' })).toBe(1);
    expect(delta(before, after, 'kc_image_render_seconds_count')).toBe(1);
    expect(delta(before, after, 'kc_image_render_seconds_sum')).toBeGreaterThan(0);
    // Every bounded per-node cache shows its bound (docs/operations.md#memory), and the renditions their bytes.
    expect(sum(after, 'kc_cache_max_entries', { cache: 'catalog' })).toBe(100_000);
    expect(sum(after, 'kc_cache_max_entries', { cache: 'auth_clients' })).toBe(50_000);
    expect(sum(after, 'kc_cache_entries', { cache: 'auth_clients' })).toBeGreaterThanOrEqual(1);
    expect(sum(after, 'kc_cache_max_bytes', { cache: 'image_renditions' })).toBe(128 * 1024 * 1024);
    expect(sum(after, 'kc_cache_bytes', { cache: 'image_renditions' })).toBeGreaterThan(0);
  });

  it('show the catalog cache filling', async () => {
    // Its fill is read while invalidations arrive asynchronously (a write's NOTIFY can drop a row just cached),
    // so: read a product, look; at most 20 tries.
    const client = await seed(app).client({ credits: 100 });
    let entries = 0;
    for (let i = 0; i < 20 && entries < 1; i++) {
      const p = await seed(app).product();
      const read = await call(app.url, `/api/v1/products/${p.barcode}`, { token: client.accessToken });
      expect(read.status).toBe(200);
      entries = sum(await scrape(), 'kc_cache_entries', { cache: 'catalog' });
    }
    expect(entries).toBeGreaterThanOrEqual(1);
  });

  it('count rate-limit refusals and refused debits', async () => {
    const p = await seed(app).product();
    const limited = await seed(app).client({ credits: 10, limits: { per_minute: 1, per_day: 100 } });
    const poor = await seed(app).client({ credits: '0.0001' });
    const before = await scrape();
    // The key exchange took the minute's one request (docs/limits.md), so this one is refused.
    const refused = await call(app.url, '/api/v1/account', { token: limited.accessToken });
    expect(refused.status).toBe(429);
    const broke = await call(app.url, `/api/v1/products/${p.barcode}?include=product_meta`, {
      token: poor.accessToken,
    });
    expect(broke.status).toBe(402);
    const after = await scrape();
    expect(delta(before, after, 'kc_rate_limit_refusals_total', { who: 'client' })).toBe(1);
    expect(delta(before, after, 'kc_http_requests_total', { route: '/api/v1/account', status: '429' })).toBe(1);
    expect(delta(before, after, 'kc_debits_total', { result: 'insufficient' })).toBe(1);
    expect(delta(before, after, 'kc_credits_debited_total')).toBe(0);
  });

  it("webhook deliveries: the queue of the kept log and this node's attempts", async () => {
    const s = await scrape();
    for (const state of ['queued', 'retrying', 'delivered', 'failed']) {
      expect(s.has(`kc_webhook_deliveries{state="${state}"}`)).toBe(true);
    }
    for (const outcome of ['claimed', 'delivered', 'retried', 'failed', 'disabled']) {
      expect(s.get(`kc_webhook_node_deliveries{outcome="${outcome}"}`)).toBe(0);
    }
  });

  it('count shared-state errors', async () => {
    const noRedis = await startTestApp({ db: app.db, env: { REDIS_URL: 'redis://127.0.0.1:1' } });
    try {
      expect((await call(noRedis.url, '/api/v1/health')).status).toBe(503);
      // The probe gives up after 1.5 s; the ping itself fails when ioredis gives up on it.
      let errors = 0;
      for (let i = 0; i < 50 && errors === 0; i++) {
        errors = sum(await scrape(noRedis), 'kc_shared_state_errors_total', { op: 'ping' });
        if (errors === 0) await new Promise((r) => setTimeout(r, 200));
      }
      expect(errors).toBeGreaterThanOrEqual(1);
    } finally {
      await noRedis.close().catch(() => {});
    }
  });
});
