// Test mode (docs/test-mode.md): a test client (kc_test_ key) reads the sandbox catalog through the same doors and
// the same read-plan service as a live client, gets its bill reported with test_mode / X-Test-Mode, and moves no
// credit; a test token never reads the live catalog and a live token never the sandbox.
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { call } from '../../helpers/http.ts';
import { balanceUnits, ledgerRows } from '../../helpers/ledger.ts';
import { type ApiClient, seed, tag } from '../../helpers/testkit.ts';

const SAMPLE = '017000161563';
let app: TestApp;
let live: ApiClient;
let test: ApiClient;
let liveToken: string;
let testToken: string;
let liveProduct: string;

const get = (path: string, token: string, headers: Record<string, string> = {}) =>
  call(app.url, path, { token, headers });
const graphql = (token: string, query: string, variables: Record<string, unknown> = {}) =>
  call(app.url, '/graphql', { token, body: { query, variables }, headers: { accept: 'application/json' } });
const testUsageRows = (requestId: string) =>
  app.db.sql<
    { amount: bigint; client_id: string }[]
  >`select amount, client_id from test_usage where request_id = ${requestId}`;

beforeAll(async () => {
  app = await startTestApp();
  const account = await seed(app).account({ credits: 10 });
  live = await account.client({ tier: 'standard' });
  test = await account.client({ tier: 'standard', mode: 'test' });
  liveToken = (await live.token()).accessToken;
  testToken = (await test.token()).accessToken;
  liveProduct = (await seed(app).product({ images: ['front'] })).barcode;
}, 120_000);
afterAll(async () => {
  await app?.close();
});

describe('test mode', () => {
  it('a test client has a kc_test_ key and says so in its views', async () => {
    expect(test.apiKey).toMatch(/^kc_test_/);
    expect(live.apiKey).toMatch(/^kc_live_/);
    const acct = await get('/api/v1/account', testToken);
    expect(acct.status).toBe(200);
    expect(acct.body.client.mode).toBe('test');
    expect(acct.body.meta.test_mode).toBe(true);
    expect(acct.headers.get('x-test-mode')).toBe('1');
    const liveAcct = await get('/api/v1/account', liveToken);
    expect(liveAcct.body.client.mode).toBe('live');
    expect(liveAcct.body.meta).not.toHaveProperty('test_mode');
    expect(liveAcct.headers.get('x-test-mode')).toBeNull();
  });

  it('a paid read of the sandbox reports its bill and moves no credit (REST)', async () => {
    const before = await balanceUnits(app.db.sql, test.accountId);
    const r = await get(`/api/v1/products/${SAMPLE}?include=product_meta,images&variants=front`, testToken);
    expect(r.status).toBe(200);
    expect(r.body.barcode).toBe(SAMPLE);
    expect(r.body.product_meta.brand).toEqual(expect.any(String));
    expect(r.body.meta).toMatchObject({ credits_debited: 1.3, credits_remaining: 10, test_mode: true });
    expect(r.headers.get('x-test-mode')).toBe('1');
    expect(r.headers.get('x-credits-debited')).toBe('1.3');
    expect(r.headers.get('x-ratelimit-remaining-minute')).not.toBeNull();
    const requestId = r.headers.get('x-request-id')!;
    expect(await balanceUnits(app.db.sql, test.accountId)).toBe(before);
    expect(await ledgerRows(app.db.sql, requestId)).toEqual([]);
    expect(await testUsageRows(requestId)).toEqual([{ amount: 13_000n, client_id: test.clientId }]);
  });

  it('the same plan costs the same in GraphQL, with extensions.billing.testMode', async () => {
    const r = await graphql(
      testToken,
      'query($b: Barcode!) { product(barcode: $b) { productMeta { brand } images { front } } }',
      { b: SAMPLE },
    );
    expect(r.status).toBe(200);
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data.product.images.front).toMatch(/\/api\/v1\/image\//);
    expect(r.body.extensions.billing).toMatchObject({ creditsDebited: 1.3, creditsRemaining: 10, testMode: true });
    expect(r.headers.get('x-test-mode')).toBe('1');
    expect(await balanceUnits(app.db.sql, test.accountId)).toBe(100_000n);
  });

  it('a test token never reads the live catalog, and a live token never the sandbox', async () => {
    const fromTest = await get(`/api/v1/products/${liveProduct}?include=product_meta`, testToken);
    expect(fromTest.status).toBe(404);
    expect(fromTest.body.error).toBe('not_found');
    const fromLive = await get(`/api/v1/products/${SAMPLE}?include=product_meta`, liveToken);
    expect(fromLive.status).toBe(404);
    const bulk = await call(app.url, '/api/v1/products/bulk-check', {
      token: testToken,
      body: { barcodes: [SAMPLE, liveProduct] },
    });
    expect(bulk.status).toBe(200);
    expect(bulk.body.results.map((x: { exists: boolean }) => x.exists)).toEqual([true, false]);
    expect(bulk.body.meta).toMatchObject({ credits_debited: 0.02, test_mode: true });
    const gql = await graphql(liveToken, 'query($b: Barcode!) { product(barcode: $b) { productMeta { brand } } }', {
      b: SAMPLE,
    });
    expect(gql.body.data.product).toBeNull();
  });

  it('the listing of a test client is the sandbox: about 50 products, the sample barcode among them', async () => {
    const page = await get('/api/v1/products?per_page=500', testToken);
    expect(page.status).toBe(200);
    const barcodes = page.body.items.map((i: { barcode: string }) => i.barcode);
    expect(barcodes.length).toBe(50);
    expect(barcodes).toContain(SAMPLE);
    expect(barcodes).not.toContain(liveProduct);
    expect(page.body.meta.test_mode).toBe(true);
    const livePage = await get('/api/v1/products?per_page=500', liveToken);
    expect(livePage.body.items.map((i: { barcode: string }) => i.barcode)).not.toContain(SAMPLE);
  });

  it('an Idempotency-Key replays in test mode as in live mode: one usage row, the same answer', async () => {
    const key = `test-mode-${tag()}-${tag()}-${tag()}`;
    const path = `/api/v1/products/${SAMPLE}?include=product_meta`;
    const first = await get(path, testToken, { 'idempotency-key': key });
    const again = await get(path, testToken, { 'idempotency-key': key });
    expect(first.status).toBe(200);
    expect(again.status).toBe(200);
    expect(again.headers.get('idempotency-replayed')).toBe('1');
    expect(again.body).toEqual(first.body);
    expect(await testUsageRows(first.headers.get('x-request-id')!)).toHaveLength(1);
    const [{ n }] = await app.db.sql<{ n: number }[]>`
      select count(*)::int as n from test_usage where client_id = ${test.clientId}
        and request_id = ${first.headers.get('x-request-id')!}`;
    expect(n).toBe(1);
  });

  it('a signed URL of the sandbox is one-shot and its picture carries the TEST stamp', async () => {
    const r = await get(`/api/v1/products/${SAMPLE}?include=images&variants=front&image_size=small`, testToken);
    const url = r.body.images.front as string;
    const img = await fetch(url);
    expect(img.status).toBe(200);
    const bytes = Buffer.from(await img.arrayBuffer());
    // The stamp is a red band through the middle of the picture: its centre is strongly red.
    const { data, info } = await sharp(bytes).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    const at = (x: number, y: number) => {
      const i = (y * info.width + x) * info.channels;
      return [data[i], data[i + 1], data[i + 2]];
    };
    const [red, green, blue] = at(Math.floor(info.width / 2), Math.floor(info.height / 2));
    const [r2, g2, b2] = at(Math.floor(info.width / 2) + 2, Math.floor(info.height / 2) + 2);
    expect(Math.max(red, r2)).toBeGreaterThan(150);
    expect(Math.min(green, g2) + Math.min(blue, b2)).toBeLessThan(Math.max(red, r2) * 1.5);
    expect((await fetch(url)).status).toBe(410);
  });

  it('usage is reported apart: a test client sees the test reads, a live client the ledger', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const q = `/api/v1/usage?from=${today}&to=${today}&group_by=client`;
    const testUsage = await get(q, testToken);
    expect(testUsage.status).toBe(200);
    expect(testUsage.body.meta.test_mode).toBe(true);
    const mine = testUsage.body.rows.find((x: { client_id: string }) => x.client_id === test.clientId);
    expect(mine.requests).toBeGreaterThanOrEqual(5);
    const liveUsage = await get(q, liveToken);
    expect(liveUsage.body.rows.find((x: { client_id: string }) => x.client_id === test.clientId)).toBeUndefined();
    expect(liveUsage.body.total_amount ?? liveUsage.body.totals?.amount ?? 0).toBe(0);
  });

  it('an operator changes a sandbox product: test reads see it', async () => {
    const before = await get(`/api/v1/products/${SAMPLE}?include=product_meta`, testToken);
    const change = await call(app.url, '/admin/v1/sandbox/changes', {
      token: app.adminToken,
      body: { barcode: SAMPLE },
    });
    expect(change.status).toBe(201);
    expect(change.body).toMatchObject({ barcode: SAMPLE, changed_fields: ['product_description'] });
    const after = await get(`/api/v1/products/${SAMPLE}?include=product_meta`, testToken);
    expect(after.body.product_meta.product_description).not.toBe(before.body.product_meta.product_description);
    expect(after.body.product_meta.updated_at).not.toBe(before.body.product_meta.updated_at);
    const unknown = await call(app.url, '/admin/v1/sandbox/changes', {
      token: app.adminToken,
      body: { barcode: '4006381333931' },
    });
    expect(unknown.status).toBe(404);
  });
});
