// Webhooks across a deployment (docs/webhooks.md#claiming): two app instances on one database share the outbox
// and deliver each event once; a subscription failing past the give-up time fails its delivery and is disabled;
// in production mode private targets are refused when saved and again when sent.
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { upsertProducts } from '../../../src/modules/catalog/product-write.repository.ts';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { call } from '../../helpers/http.ts';
import { startNodes } from '../../helpers/nodes.ts';
import { adminProduct, barcode, productInput, putProduct, seed } from '../../helpers/testkit.ts';
import { type Receiver, startReceiver } from '../../helpers/webhook-receiver.ts';

const FAST = { WEBHOOKS_POLL_MS: '100', WEBHOOKS_RETRY_BASE_MS: '100', WEBHOOKS_RETRY_MAX_MS: '300' };
const closers: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of closers.reverse()) await c();
});

async function receiver(): Promise<Receiver> {
  const r = await startReceiver();
  closers.push(() => r.close());
  return r;
}

async function app(env: Record<string, string>): Promise<TestApp> {
  const a = await startTestApp({ env });
  closers.push(() => a.close());
  return a;
}

describe('two API nodes on one database', () => {
  it('share the outbox: every event is delivered once, in order per product, by both nodes together', async () => {
    const deployment = await startNodes(2, { env: { WEBHOOKS_CONCURRENCY: '4', ...FAST } });
    closers.push(() => deployment.close());
    const [a, b] = deployment.nodes;
    const client = await seed(a).client({ tier: 'enterprise' });
    const rcv = await receiver();
    rcv.delayMs = 3;
    await client.webhook({ url: rcv.url, events: ['product.created', 'product.updated'] });
    // A bulk writer (as the seed and the ingest CLI write) and admin updates through node b.
    const barcodes = Array.from({ length: 200 }, () => barcode(13));
    for (let i = 0; i < barcodes.length; i += 50) {
      await a.db.sql.begin((tx) =>
        upsertProducts(
          tx,
          barcodes.slice(i, i + 50).map((bc) => productInput({ ...adminProduct(), barcode: bc })),
        ),
      );
    }
    for (const bc of barcodes.slice(0, 20)) {
      const r = await putProduct(b, bc, adminProduct({ product_name: 'Bamba 2' }));
      expect(r.status).toBe(200);
    }
    await rcv.waitFor((r) => r.accepted().length >= 220, 20_000);
    await new Promise((r) => setTimeout(r, 500));
    const ids = rcv.received.map((r) => r.id);
    expect(ids.length).toBe(220);
    expect(new Set(ids).size).toBe(220);
    for (const bc of barcodes.slice(0, 20)) {
      expect(rcv.received.filter((r) => r.body.data.barcode === bc).map((r) => r.body.type)).toEqual([
        'product.created',
        'product.updated',
      ]);
    }
    const statsA = await call(a.url, '/admin/v1/webhooks/stats', { token: a.adminToken });
    const statsB = await call(b.url, '/admin/v1/webhooks/stats', { token: b.adminToken });
    expect(statsA.body.node.delivered + statsB.body.node.delivered).toBe(220);
    expect(statsA.body.node.delivered).toBeGreaterThan(0);
    expect(statsB.body.node.delivered).toBeGreaterThan(0);
    expect(statsA.body).toMatchObject({ queued: 0, delivered: 220, failed: 0 });
  });
});

describe('giving up', () => {
  it('a delivery failing past the give-up time is failed, and its subscription disabled with the reason', async () => {
    const a = await app({ ...FAST, WEBHOOKS_GIVE_UP_SEC: '2' });
    const client = await seed(a).client({ tier: 'enterprise' });
    const rcv = await receiver();
    rcv.status = 500;
    const sub = await client.webhook({ url: rcv.url, events: ['product.created'] });
    await putProduct(a, barcode(13));
    const get = () => call(a.url, `/api/v1/webhooks/${sub.id}`, { token: client.accessToken });
    const until = Date.now() + 20_000;
    let view = (await get()).body;
    while (view.enabled && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 200));
      view = (await get()).body;
    }
    expect(view).toMatchObject({
      enabled: false,
      disabled_reason: expect.stringContaining('HTTP 500'),
      failing_since: expect.any(String),
    });
    const log = await call(a.url, `/api/v1/webhooks/${sub.id}/deliveries`, { token: client.accessToken });
    expect(log.body.deliveries[0]).toMatchObject({ status: 'failed', last_status_code: 500, next_attempt_at: null });
    expect(log.body.deliveries[0].attempts).toBeGreaterThan(2);
    const stats = await call(a.url, '/admin/v1/webhooks/stats', { token: a.adminToken });
    expect(stats.body).toMatchObject({ failed: 1, node: { disabled: 1 } });
    expect(stats.body.retries).toBeGreaterThan(1);
  });
});

describe('production mode', () => {
  it('refuses http, loopback, private, link-local and metadata targets, and re-checks when sending', async () => {
    const a = await app({
      NODE_ENV: 'production',
      WEBHOOK_SECRET_KEYS: `w1:${randomBytes(32).toString('base64url')}`,
      ...FAST,
      // The test default allows local receivers; production without the explicit flag must not.
      WEBHOOKS_ALLOW_LOCAL: '0',
      // The accepted public target below is sent its verification event; do not wait long for it.
      WEBHOOKS_TIMEOUT_MS: '1000',
    });
    const client = await seed(a).client({ tier: 'enterprise' });
    const create = (url: string) =>
      call(a.url, '/api/v1/webhooks', { token: client.accessToken, body: { url, events: ['product.created'] } });
    for (const url of [
      'http://93.184.215.14/hooks',
      'https://127.0.0.1/hooks',
      'https://localhost/hooks',
      'https://10.1.2.3/',
      'https://192.168.1.10/',
      'https://172.16.0.5/',
      'https://169.254.169.254/latest/meta-data/',
      'https://100.100.100.200/',
      'https://[::1]/',
      'https://[fd00:ec2::254]/',
      'https://[::ffff:127.0.0.1]/',
      'https://0.0.0.0/',
      'https://2130706433/',
      'https://[::127.0.0.1]/',
      'https://[::ffff:0:7f00:1]/',
      'https://93.184.215.14:8080/hooks',
    ]) {
      const res = await create(url);
      expect(res.status, url).toBe(400);
      expect(res.body.error).toBe('bad_request');
    }
    const ok = await create('https://93.184.215.14/hooks');
    expect(ok.status).toBe(201);
    // The address is checked again for every connection: a verified target that became private is not contacted.
    // (Port 443: any other port is refused before the address is looked at.)
    await a.db.sql`update webhook_subscriptions set url = 'https://127.0.0.1/hooks',
        verification = 'verified' where subscription_id = ${ok.body.id}`;
    await putProduct(a, barcode(13));
    const deliveries = () => call(a.url, `/api/v1/webhooks/${ok.body.id}/deliveries`, { token: client.accessToken });
    const until = Date.now() + 15_000;
    let d = (await deliveries()).body.deliveries;
    while ((d.length === 0 || d[0].last_error === null) && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 100));
      d = (await deliveries()).body.deliveries;
    }
    expect(d[0]).toMatchObject({
      status: 'pending',
      last_status_code: null,
      last_error: expect.stringContaining('public'),
    });
  });
});
