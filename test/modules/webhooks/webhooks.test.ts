// Webhooks, black-box over HTTP against one running app (docs/webhooks.md): subscriptions and their validation,
// signed deliveries of admin catalog writes, retries while a receiver is down (each webhook-id once, in order per
// product), scope and filters, replays, pings, the delivery log and the admin view.
import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertProducts } from '../../../src/modules/catalog/product-write.repository.ts';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { call } from '../../helpers/http.ts';
import {
  adminProduct,
  barcode,
  picture,
  productInput,
  putImage,
  putProduct,
  type SignedInClient,
  seed,
} from '../../helpers/testkit.ts';
import { type Received, type Receiver, startReceiver } from '../../helpers/webhook-receiver.ts';

let app: TestApp;
let client: SignedInClient;
const receivers: Receiver[] = [];

const FAST = { WEBHOOKS_POLL_MS: '100', WEBHOOKS_RETRY_BASE_MS: '100', WEBHOOKS_RETRY_MAX_MS: '400' };

beforeAll(async () => {
  app = await startTestApp({ env: FAST });
  client = await seed(app).client({ tier: 'enterprise' });
});
afterAll(async () => {
  for (const r of receivers) await r.close();
  await app.close();
});

async function receiver(): Promise<Receiver> {
  const r = await startReceiver();
  receivers.push(r);
  return r;
}

const api = (path: string, opts: { method?: string; body?: unknown; token?: string } = {}) =>
  call(app.url, path, { token: opts.token ?? client.accessToken, method: opts.method, body: opts.body });

const EVERY_EVENT = [
  'product.created',
  'product.updated',
  'product.image_added',
  'product.image_replaced',
  'product.image_removed',
];
/** A subscription of `by` (the file's client unless told) to every event, or as `extra` says. */
const subscribe = (url: string, extra: Record<string, unknown> = {}, by: SignedInClient = client) =>
  by.webhook({ url, events: EVERY_EVENT, ...extra });

function verify(secret: string, r: Received) {
  return new Webhook(secret).verify(r.raw, {
    'webhook-id': r.id,
    'webhook-timestamp': r.timestamp,
    'webhook-signature': r.signature,
  }) as { type: string; data: Record<string, unknown> };
}

const forBarcode = (rcv: Receiver, bc: string) => rcv.accepted().filter((r) => r.body?.data?.barcode === bc);

describe('delivery of catalog changes', () => {
  it('an admin product update reaches the receiver within 2 s, signed per Standard Webhooks', async () => {
    const rcv = await receiver();
    const sub = await subscribe(rcv.url);
    const bc = barcode(13);
    expect((await putProduct(app, bc)).status).toBe(201);
    await rcv.waitFor(() => forBarcode(rcv, bc).length >= 1, 2000);
    const t0 = Date.now();
    expect((await putProduct(app, bc, adminProduct({ product_name: 'Bamba Nougat', category: 'Snacks' }))).status).toBe(
      200,
    );
    await rcv.waitFor(() => forBarcode(rcv, bc).length >= 2, 2000);
    expect(Date.now() - t0).toBeLessThan(2000);
    const [created, updated] = forBarcode(rcv, bc);
    const c = verify(sub.secret, created);
    expect(c.type).toBe('product.created');
    const u = verify(sub.secret, updated);
    expect(u).toMatchObject({
      type: 'product.updated',
      data: { barcode: bc, changed_fields: ['product_name', 'category'] },
    });
    // Free: says that something changed, never the paid data.
    expect(Object.keys(u.data).sort()).toEqual(['barcode', 'changed_fields', 'updated_at']);
    expect(updated.raw).not.toContain('Nougat');
    expect(updated.id).toMatch(/^msg_[0-9a-f]{32}$/);
    expect(Math.abs(Number(updated.timestamp) - Date.now() / 1000)).toBeLessThan(30);
    // A wrong secret fails verification.
    expect(() =>
      new Webhook(`whsec_${randomBytes(32).toString('base64')}`).verify(updated.raw, {
        'webhook-id': updated.id,
        'webhook-timestamp': updated.timestamp,
        'webhook-signature': updated.signature,
      }),
    ).toThrow();
    // An unchanged PUT announces nothing.
    await putProduct(app, bc, adminProduct({ product_name: 'Bamba Nougat', category: 'Snacks' }));
    await new Promise((r) => setTimeout(r, 400));
    expect(forBarcode(rcv, bc)).toHaveLength(2);
  });

  it('image uploads announce image_added, then image_replaced, with the variant', async () => {
    const rcv = await receiver();
    const sub = await subscribe(rcv.url, { events: ['product.image_added', 'product.image_replaced'] });
    const bc = barcode(13);
    await putProduct(app, bc);
    expect(
      (await putImage(app.url, app.adminToken, bc, 'front', await picture(300, 300, 'jpeg'), 'image/jpeg')).status,
    ).toBeLessThan(300);
    expect(
      (await putImage(app.url, app.adminToken, bc, 'front', await picture(320, 300, 'jpeg'), 'image/jpeg')).status,
    ).toBeLessThan(300);
    await rcv.waitFor(() => forBarcode(rcv, bc).length >= 2, 5000);
    const got = forBarcode(rcv, bc).map((r) => verify(sub.secret, r));
    expect(got.map((g) => [g.type, g.data.variant])).toEqual([
      ['product.image_added', 'front'],
      ['product.image_replaced', 'front'],
    ]);
  });

  it('a rolled-back change is never announced; a committed one always is (any writer, not only the API)', async () => {
    const rcv = await receiver();
    await subscribe(rcv.url, { events: ['product.created'] });
    const [a, b] = [barcode(13), barcode(13)];
    await app.db.sql
      .begin(async (tx) => {
        await upsertProducts(tx, [productInput({ ...adminProduct(), barcode: a })]);
        await tx`select 1/0`;
      })
      .catch(() => undefined);
    await app.db.sql.begin(async (tx) => {
      await upsertProducts(tx, [productInput({ ...adminProduct(), barcode: b })]);
    });
    await rcv.waitFor(() => forBarcode(rcv, b).length === 1, 3000);
    expect(forBarcode(rcv, a)).toHaveLength(0);
    const [{ n }] = await app.db.sql<
      { n: number }[]
    >`select count(*)::int as n from webhook_events where barcode = ${a}`;
    expect(n).toBe(0);
  });
});

describe('retries', () => {
  it('a receiver down for a while then up gets every event once per webhook-id, in order per product', async () => {
    const rcv = await receiver();
    rcv.status = 503;
    await subscribe(rcv.url, { events: ['product.created', 'product.updated'] });
    const barcodes = [barcode(13), barcode(13), barcode(13)];
    for (let round = 0; round < 4; round++) {
      for (const bc of barcodes)
        expect((await putProduct(app, bc, adminProduct({ product_name: `Bamba ${round}` }))).status).toBeLessThan(300);
    }
    // Down: attempts arrive and are refused, and only the first event of each product is tried (order is kept).
    await rcv.waitFor(() => rcv.received.filter((r) => r.answered === 503).length >= 6, 5000);
    for (const bc of barcodes) {
      const tried = new Set(rcv.received.filter((r) => r.body?.data?.barcode === bc).map((r) => r.body.type));
      expect([...tried]).toEqual(['product.created']);
    }
    rcv.status = 200;
    await rcv.waitFor(() => barcodes.every((bc) => forBarcode(rcv, bc).length >= 4), 10_000);
    await new Promise((r) => setTimeout(r, 300));
    for (const bc of barcodes) {
      const ok = forBarcode(rcv, bc);
      const ids = ok.map((r) => r.id);
      expect(new Set(ids).size, 'each webhook-id accepted once').toBe(ids.length);
      const events = await app.db.sql<{ message_id: string }[]>`
        select message_id from webhook_events where barcode = ${bc} order by event_id`;
      expect(ids).toEqual(events.map((e) => e.message_id));
      expect(ok.map((r) => r.body.type)).toEqual([
        'product.created',
        'product.updated',
        'product.updated',
        'product.updated',
      ]);
    }
  });
});

function expectError(
  res: { status: number; body: { error: string; message: string } },
  status: number,
  code: string,
  part?: string,
) {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.body.error).toBe(code);
  if (part) expect(res.body.message).toContain(part);
}

describe('subscriptions', () => {
  it('validates every input with 400 bad_request naming the field, never 500', async () => {
    const ok = { url: 'https://example.com/hooks', events: ['product.updated'] };
    const post = (body: unknown) => api('/api/v1/webhooks', { body });
    expectError(await post({ events: ['product.updated'] }), 400, 'bad_request', 'url');
    expectError(await post({ ...ok, url: 'ftp://example.com/x' }), 400, 'bad_request', 'url');
    expectError(await post({ ...ok, url: 'not a url' }), 400, 'bad_request', 'url');
    expectError(await post({ ...ok, url: `https://example.com/${'a'.repeat(2100)}` }), 400, 'bad_request', 'url');
    expectError(await post({ ...ok, url: 'https://user:pw@example.com/' }), 400, 'bad_request', 'credentials');
    expectError(await post({ ...ok, url: 42 }), 400, 'bad_request', 'url');
    expectError(await post({ ...ok, events: [] }), 400, 'bad_request', 'events');
    expectError(await post({ ...ok, events: ['product.deleted'] }), 400, 'bad_request', 'events.0');
    expectError(await post({ ...ok, events: ['product.updated', 'product.updated'] }), 400, 'bad_request', 'events');
    expectError(await post({ ...ok, events: 'product.updated' }), 400, 'bad_request', 'events');
    expectError(await post({ ...ok, filter: { updated_since: '2026-01-01' } }), 400, 'bad_request', 'filter');
    expectError(await post({ ...ok, filter: { min_digits: 20 } }), 400, 'bad_request', 'filter.min_digits');
    expectError(await post({ ...ok, filter: { brand: '' } }), 400, 'bad_request', 'filter.brand');
    expectError(await post({ ...ok, filter: { search: '!!!' } }), 400, 'bad_request', 'search');
    expectError(await post({ ...ok, filter: 'brand=x' }), 400, 'bad_request', 'filter');
    expectError(await post({ ...ok, secret: 'mine' }), 400, 'bad_request', 'secret');
    expectError(await post([ok]), 400, 'bad_request');
    const bad = await call(app.url, '/api/v1/webhooks', { token: client.accessToken, method: 'POST', body: '{"url":' });
    expectError(bad, 400, 'bad_request');

    const sub = await subscribe((await receiver()).url);
    const replay = (body: unknown) => api(`/api/v1/webhooks/${sub.id}/replay`, { body });
    expectError(await replay({}), 400, 'bad_request', 'since');
    expectError(await replay({ since: 'yesterday' }), 400, 'bad_request', 'since');
    expectError(await replay({ since: '2026-02-31' }), 400, 'bad_request', 'since');
    expectError(await replay({ since: '2999-01-01T00:00:00Z' }), 400, 'bad_request', 'future');
    expectError(await replay({ since: '2001-01-01' }), 400, 'bad_request', 'kept');
    expectError(await replay({ since: new Date().toISOString(), until: '2001-01-01' }), 400, 'bad_request', 'until');
    expectError(await api(`/api/v1/webhooks/${sub.id}/deliveries?limit=0`), 400, 'bad_request', 'limit');
    expectError(await api(`/api/v1/webhooks/${sub.id}/deliveries?status=lost`), 400, 'bad_request', 'status');
    expectError(
      await api(`/api/v1/webhooks/${sub.id}`, { method: 'PATCH', body: { enabled: 'yes' } }),
      400,
      'bad_request',
      'enabled',
    );
    expectError(
      await api(`/api/v1/webhooks/${sub.id}`, { method: 'PATCH', body: { url: 'gopher://x' } }),
      400,
      'bad_request',
      'url',
    );
  });

  it('create shows the secret once; get, list, patch, delete; other clients see nothing; 10 at most', async () => {
    const other = await seed(app).client({ tier: 'enterprise' });
    const rcv = await receiver();
    const res = await api('/api/v1/webhooks', {
      body: { url: rcv.url, events: ['product.updated'], filter: { brand: ' Osem ' } },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      url: rcv.url,
      events: ['product.updated'],
      filter: { brand: 'Osem' },
      enabled: true,
    });
    expect(res.body.secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    expect(res.headers.get('x-credits-debited')).toBe('0');
    const id = res.body.id;
    const got = await api(`/api/v1/webhooks/${id}`);
    expect(got.status).toBe(200);
    expect(got.body.secret).toBeUndefined();
    expect(JSON.stringify((await api('/api/v1/webhooks')).body)).not.toContain(res.body.secret);
    const [{ secret_enc }] = await app.db.sql<{ secret_enc: string }[]>`
      select secret_enc from webhook_subscriptions where subscription_id = ${id}`;
    expect(secret_enc).not.toContain(res.body.secret.slice(6, 20));

    expectError(await api(`/api/v1/webhooks/${id}`, { token: other.accessToken }), 404, 'not_found');
    expectError(await api(`/api/v1/webhooks/${id}`, { token: other.accessToken, method: 'DELETE' }), 404, 'not_found');
    expectError(await api('/api/v1/webhooks/wh_nope'), 404, 'not_found');
    expect((await api('/api/v1/webhooks', { token: other.accessToken })).body.webhooks).toEqual([]);

    const patched = await api(`/api/v1/webhooks/${id}`, {
      method: 'PATCH',
      body: { events: ['product.created'], filter: null },
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ events: ['product.created'], filter: {} });
    const off = await api(`/api/v1/webhooks/${id}`, { method: 'PATCH', body: { enabled: false } });
    expect(off.body).toMatchObject({ enabled: false, disabled_reason: expect.stringContaining('client') });
    expect((await api(`/api/v1/webhooks/${id}`, { method: 'PATCH', body: { enabled: true } })).body).toMatchObject({
      enabled: true,
      disabled_reason: null,
      disabled_at: null,
    });

    const mine = (await api('/api/v1/webhooks', { token: other.accessToken })).body.webhooks.length;
    for (let i = mine; i < 10; i++) await subscribe(rcv.url, {}, other);
    const eleventh = await api('/api/v1/webhooks', {
      token: other.accessToken,
      body: { url: rcv.url, events: ['product.created'] },
    });
    expectError(eleventh, 409, 'conflict', '10');
    const del = await api(`/api/v1/webhooks/${id}`, { method: 'DELETE' });
    expect(del.status).toBe(204);
    expectError(await api(`/api/v1/webhooks/${id}`), 404, 'not_found');
  });

  it('the client scope always applies, and the filter narrows further', async () => {
    const scoped = await seed(app).client({ tier: 'enterprise', scope: { brands: ['ScopeBrandA'] } });
    const rcvScoped = await receiver();
    const rcvFiltered = await receiver();
    await subscribe(rcvScoped.url, { events: ['product.created'] }, scoped);
    await subscribe(rcvFiltered.url, {
      events: ['product.created'],
      filter: { brand: 'scopebrandb', kosher_for_passover: true },
    });
    const inA = barcode(13);
    const inB = barcode(13);
    const inBNotPesach = barcode(13);
    await putProduct(app, inA, adminProduct({ brand: 'ScopeBrandA' }));
    await putProduct(app, inB, adminProduct({ brand: 'ScopeBrandB', kosher_for_passover: true }));
    await putProduct(app, inBNotPesach, adminProduct({ brand: 'ScopeBrandB' }));
    const sentinel = barcode(13);
    // A last product both receivers want: once it arrived, every earlier one would have as well.
    await putProduct(app, sentinel, adminProduct({ brand: 'ScopeBrandA' }));
    await rcvScoped.waitFor(() => forBarcode(rcvScoped, sentinel).length === 1, 3000);
    expect(rcvScoped.accepted().map((r) => r.body.data.barcode)).toEqual([inA, sentinel]);
    await rcvFiltered.waitFor(() => forBarcode(rcvFiltered, inB).length === 1, 3000);
    await new Promise((r) => setTimeout(r, 300));
    expect(rcvFiltered.accepted().map((r) => r.body.data.barcode)).toEqual([inB]);
  });

  it('test pings are signed and reported; the delivery log shows attempts, status and latency', async () => {
    const rcv = await receiver();
    const sub = await subscribe(rcv.url, { events: ['product.updated'] });
    const ping = await api(`/api/v1/webhooks/${sub.id}/test`, { method: 'POST' });
    expect(ping.status).toBe(200);
    expect(ping.body.delivery).toMatchObject({
      event: 'webhook.test',
      kind: 'test',
      status: 'delivered',
      attempts: 1,
      last_status_code: 200,
    });
    expect(verify(sub.secret, rcv.received[0])).toMatchObject({ type: 'webhook.test', data: { webhook_id: sub.id } });
    rcv.status = 500;
    const failed = await api(`/api/v1/webhooks/${sub.id}/test`, { method: 'POST' });
    // The receiver answered "down", but an answer from a loopback address is never shown (docs/webhooks.md#delivery).
    expect(failed.body.delivery).toMatchObject({ status: 'failed', last_status_code: 500, response_excerpt: null });
    rcv.status = 200;
    const bc = barcode(13);
    await putProduct(app, bc);
    await putProduct(app, bc, adminProduct({ net_weight: '20 oz' }));
    await rcv.waitFor(() => forBarcode(rcv, bc).length === 1, 3000);
    await new Promise((r) => setTimeout(r, 100));
    const log = await api(`/api/v1/webhooks/${sub.id}/deliveries?limit=10`);
    expect(log.status).toBe(200);
    expect(log.body.deliveries[0]).toMatchObject({
      event: 'product.updated',
      barcode: bc,
      kind: 'live',
      status: 'delivered',
      attempts: 1,
      last_status_code: 200,
      latency_ms: expect.any(Number),
      next_attempt_at: null,
      message_id: forBarcode(rcv, bc)[0].id,
    });
    expect(log.body.deliveries.map((d: { event: string }) => d.event)).toEqual([
      'product.updated',
      'webhook.test',
      'webhook.test',
    ]);
    const onlyFailed = await api(`/api/v1/webhooks/${sub.id}/deliveries?status=failed`);
    expect(onlyFailed.body.deliveries).toHaveLength(1);
  });

  it('a replay re-sends a range with the original webhook-ids, in order', async () => {
    const rcv = await receiver();
    const sub = await subscribe(rcv.url, { events: ['product.created', 'product.updated'] });
    const before = await putProduct(app, barcode(13));
    expect(before.status).toBe(201);
    await new Promise((r) => setTimeout(r, 50));
    const since = new Date().toISOString();
    const bcs = [barcode(13), barcode(13)];
    for (const bc of bcs) {
      await putProduct(app, bc);
      await putProduct(app, bc, adminProduct({ product_name: 'Bamba 2' }));
    }
    await rcv.waitFor(() => bcs.every((bc) => forBarcode(rcv, bc).length === 2), 3000);
    const firstIds = bcs.map((bc) => forBarcode(rcv, bc).map((r) => r.id));
    const n = rcv.accepted().length;
    const res = await api(`/api/v1/webhooks/${sub.id}/replay`, { body: { since } });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ queued: 4, next_since: null });
    await rcv.waitFor(() => rcv.accepted().length === n + 4, 3000);
    for (const [i, bc] of bcs.entries())
      expect(forBarcode(rcv, bc).map((r) => r.id)).toEqual([...firstIds[i], ...firstIds[i]]);
    const log = await api(`/api/v1/webhooks/${sub.id}/deliveries?limit=4`);
    expect(log.body.deliveries.every((d: { kind: string }) => d.kind === 'replay')).toBe(true);
    // A disabled webhook is not replayed.
    await api(`/api/v1/webhooks/${sub.id}`, { method: 'PATCH', body: { enabled: false } });
    expectError(await api(`/api/v1/webhooks/${sub.id}/replay`, { body: { since } }), 409, 'conflict');
  });
});

describe('the operator', () => {
  it("lists, inspects, disables and re-enables any client's webhooks, with counters", async () => {
    const rcv = await receiver();
    const sub = await subscribe(rcv.url, { events: ['product.created'] });
    const admin = (path: string, opts: { method?: string; body?: unknown } = {}) =>
      call(app.url, path, { token: app.adminToken, ...opts });
    const list = await admin(`/admin/v1/webhooks?client_id=${client.clientId}`);
    expect(list.status).toBe(200);
    expect(list.body.webhooks.map((w: { id: string }) => w.id)).toContain(sub.id);
    expect(list.body.webhooks.every((w: { client_id: string }) => w.client_id === client.clientId)).toBe(true);
    expect(JSON.stringify(list.body)).not.toContain(sub.secret);
    expectError(await admin('/admin/v1/webhooks?enabled=maybe'), 400, 'bad_request', 'enabled');
    expectError(await call(app.url, '/admin/v1/webhooks', { token: client.accessToken }), 401, 'unauthenticated');

    const off = await admin(`/admin/v1/webhooks/${sub.id}/disable`, {
      method: 'POST',
      body: { reason: 'Receiver abuse' },
    });
    expect(off.body).toMatchObject({ enabled: false, disabled_reason: 'Receiver abuse' });
    const bc = barcode(13);
    await putProduct(app, bc);
    await new Promise((r) => setTimeout(r, 400));
    expect(forBarcode(rcv, bc)).toHaveLength(0);
    expect((await api(`/api/v1/webhooks/${sub.id}`)).body.disabled_reason).toBe('Receiver abuse');
    expect((await admin(`/admin/v1/webhooks/${sub.id}/enable`, { method: 'POST' })).body.enabled).toBe(true);
    const bc2 = barcode(13);
    await putProduct(app, bc2);
    await rcv.waitFor(() => forBarcode(rcv, bc2).length === 1, 3000);

    // The receiver sees the POST before the dispatcher has recorded its answer (a batched write a few ms later).
    let one = await admin(`/admin/v1/webhooks/${sub.id}`);
    for (let i = 0; i < 100 && one.body.stats?.delivered !== 1; i++) {
      await new Promise((r) => setTimeout(r, 20));
      one = await admin(`/admin/v1/webhooks/${sub.id}`);
    }
    expect(one.body).toMatchObject({ id: sub.id, client_id: client.clientId, stats: { delivered: 1 } });
    const log = await admin(`/admin/v1/webhooks/${sub.id}/deliveries`);
    expect(log.body.deliveries[0]).toMatchObject({ barcode: bc2, status: 'delivered' });
    const stats = await admin('/admin/v1/webhooks/stats');
    expect(stats.status).toBe(200);
    expect(stats.body.delivered).toBeGreaterThan(0);
    expect(stats.body.node.delivered).toBeGreaterThan(0);
    expect(stats.body).toMatchObject({
      queued: expect.any(Number),
      retrying: expect.any(Number),
      failed: expect.any(Number),
      retries: expect.any(Number),
    });
  });
});

describe('GraphQL', () => {
  const gql = async (query: string, variables: Record<string, unknown> = {}) => {
    const res = await fetch(`${app.url}/graphql`, {
      method: 'POST',
      headers: { authorization: `Bearer ${client.accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables }),
    });
    return (await res.json()) as {
      data: Record<string, any> | null;
      errors?: { message: string; extensions: { code: string } }[];
    };
  };

  it('creates, lists, updates and deletes webhooks through mutations, free', async () => {
    const rcv = await receiver();
    const created = await gql(
      `mutation($url: String!) {
      createWebhook(input: { url: $url, events: [PRODUCT_UPDATED], filter: { brand: "Osem", hasFront: true } }) {
        secret webhook { id url events enabled filter { brand hasFront kosherForPassover } } } }`,
      { url: rcv.url },
    );
    expect(created.errors).toBeUndefined();
    const w = created.data!.createWebhook;
    expect(w.secret).toMatch(/^whsec_/);
    expect(w.webhook).toMatchObject({
      url: rcv.url,
      events: ['PRODUCT_UPDATED'],
      enabled: true,
      filter: { brand: 'Osem', hasFront: true, kosherForPassover: null },
    });
    const listed = await gql('{ webhooks { id deliveries(limit: 5) { status } } }');
    expect(listed.data!.webhooks.map((x: { id: string }) => x.id)).toContain(w.webhook.id);
    const updated = await gql(
      `mutation($id: ID!) { updateWebhook(id: $id, input: { events: [PRODUCT_CREATED, PRODUCT_IMAGE_ADDED],
      filter: null }) { events filter { brand } } }`,
      { id: w.webhook.id },
    );
    expect(updated.data!.updateWebhook).toEqual({
      events: ['PRODUCT_CREATED', 'PRODUCT_IMAGE_ADDED'],
      filter: { brand: null },
    });
    const ping = await gql('mutation($id: ID!) { testWebhook(id: $id) { status event attempts } }', {
      id: w.webhook.id,
    });
    expect(ping.data!.testWebhook).toEqual({ status: 'DELIVERED', event: 'webhook.test', attempts: 1 });
    const bad = await gql(
      'mutation { createWebhook(input: { url: "ftp://x", events: [PRODUCT_UPDATED] }) { secret } }',
    );
    expect(bad.errors?.[0].extensions.code).toBe('BAD_REQUEST');
    const del = await gql('mutation($id: ID!) { deleteWebhook(id: $id) }', { id: w.webhook.id });
    expect(del.data!.deleteWebhook).toBe(w.webhook.id);
    expect((await gql('query($id: ID!) { webhook(id: $id) { id } }', { id: w.webhook.id })).data!.webhook).toBeNull();
  });
});
