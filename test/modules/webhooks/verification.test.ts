// Webhooks cannot be turned on third parties (issue 24 item 4, docs/webhooks.md#verification, docs/webhooks.md#limits):
// a subscription receives nothing until its endpoint echoed the challenge of a signed verification event; a replay
// does not queue again what is still pending, and stops at the cap of outstanding deliveries; test pings,
// verifications and replays are rate-limited per client. The dispatcher is off here, so deliveries stay pending
// and the queue can be read exactly; test pings and verifications are sent by the request itself.
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { call } from '../../helpers/http.ts';
import { barcode, putProduct, type SignedInClient, seed } from '../../helpers/testkit.ts';
import { type Receiver, startReceiver } from '../../helpers/webhook-receiver.ts';

let app: TestApp;
const receivers: Receiver[] = [];

const MAX_OUTSTANDING = 4;
const PINGS_PER_MINUTE = 3;
const REPLAYS_PER_HOUR = 3;

beforeAll(async () => {
  app = await startTestApp({
    env: {
      WEBHOOKS_DISPATCHER: '0',
      WEBHOOKS_MAX_OUTSTANDING: String(MAX_OUTSTANDING),
      WEBHOOKS_PINGS_PER_MINUTE: String(PINGS_PER_MINUTE),
      WEBHOOKS_REPLAYS_PER_HOUR: String(REPLAYS_PER_HOUR),
    },
  });
});
afterAll(async () => {
  for (const r of receivers) await r.close();
  await app.close();
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

async function receiver(): Promise<Receiver> {
  const r = await startReceiver();
  receivers.push(r);
  return r;
}

const api = (c: SignedInClient, path: string, opts: { method?: string; body?: unknown } = {}) =>
  call(app.url, path, { token: c.accessToken, method: opts.method, body: opts.body });

/** Deliveries queued for a subscription (the dispatcher is off: they stay pending). */
async function queued(subscriptionId: string): Promise<{ event_id: string; kind: string }[]> {
  return app.db.sql<{ event_id: string; kind: string }[]>`
    select event_id::text, kind from webhook_deliveries where subscription_id = ${subscriptionId} and kind <> 'test'
    order by delivery_id`;
}

describe('the verification handshake', () => {
  it('an endpoint that does not echo the challenge gets nothing, no ping and no replay, until it verifies', async () => {
    const c = await seed(app).client({ tier: 'enterprise' });
    const rcv = await receiver();
    rcv.echoChallenge = false;
    const since = new Date(Date.now() - 1000).toISOString();
    const created = await api(c, '/api/v1/webhooks', { body: { url: rcv.url, events: ['product.created'] } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ verification: 'failed', verified_at: null });
    expect(created.body.verification_error).toMatch(/challenge/);
    // The verification event was signed with the new secret and carried a challenge.
    expect(rcv.verifications).toHaveLength(1);
    const v = rcv.verifications[0];
    const event = new Webhook(created.body.secret).verify(v.raw, {
      'webhook-id': v.id,
      'webhook-timestamp': v.timestamp,
      'webhook-signature': v.signature,
    }) as { type: string; data: { webhook_id: string; challenge: string } };
    expect(event.type).toBe('webhook.verification');
    expect(event.data.webhook_id).toBe(created.body.id);
    expect(event.data.challenge).toMatch(/^[A-Za-z0-9_-]{32}$/);

    // Unverified: a catalog change queues nothing for it; pings and replays are refused.
    const bc = barcode(13);
    expect((await putProduct(app, bc)).status).toBe(201);
    expect(await queued(created.body.id)).toEqual([]);
    expectError(await api(c, `/api/v1/webhooks/${created.body.id}/test`, { method: 'POST' }), 409, 'conflict', 'verif');
    expectError(
      await api(c, `/api/v1/webhooks/${created.body.id}/replay`, { body: { since } }),
      409,
      'conflict',
      'verif',
    );
    expect(rcv.received).toEqual([]);

    // The endpoint starts echoing; verify again: verified, and changes are queued from then on.
    rcv.echoChallenge = true;
    const verified = await api(c, `/api/v1/webhooks/${created.body.id}/verify`, { method: 'POST' });
    expect(verified.status).toBe(200);
    expect(verified.body).toMatchObject({ id: created.body.id, verification: 'verified', verification_error: null });
    expect(verified.body.verified_at).toEqual(expect.any(String));
    expect(verified.body.secret).toBeUndefined();
    expect((await putProduct(app, barcode(13))).status).toBe(201);
    expect(await queued(created.body.id)).toHaveLength(1);
    const got = await api(c, `/api/v1/webhooks/${created.body.id}`);
    expect(got.body.verification).toBe('verified');
  });

  it('a new URL is verified again before anything is sent to it, and its queue waits meanwhile', async () => {
    const c = await seed(app).client({ tier: 'enterprise' });
    const first = await receiver();
    const sub = await c.webhook({ url: first.url, events: ['product.created'] });
    expect(sub.verification).toBe('verified');
    const second = await receiver();
    second.echoChallenge = false;
    const moved = await api(c, `/api/v1/webhooks/${sub.id}`, { method: 'PATCH', body: { url: second.url } });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ url: second.url, verification: 'failed' });
    expect(second.verifications).toHaveLength(1);
    await putProduct(app, barcode(13));
    expect(await queued(sub.id)).toEqual([]);
    // Another field changed: the verification state stays.
    const renamed = await api(c, `/api/v1/webhooks/${sub.id}`, {
      method: 'PATCH',
      body: { events: ['product.created', 'product.updated'] },
    });
    expect(renamed.body.verification).toBe('failed');
    second.echoChallenge = true;
    expect((await api(c, `/api/v1/webhooks/${sub.id}/verify`, { method: 'POST' })).body.verification).toBe('verified');
  });

  it('GraphQL shows the verification state and verifies with verifyWebhook', async () => {
    const c = await seed(app).client({ tier: 'enterprise' });
    const rcv = await receiver();
    rcv.echoChallenge = false;
    const created = await api(c, '/api/v1/webhooks', { body: { url: rcv.url, events: ['product.created'] } });
    rcv.echoChallenge = true;
    const res = await call(app.url, '/graphql', {
      token: c.accessToken,
      body: {
        query: 'mutation($id: ID!) { verifyWebhook(id: $id) { id verification verifiedAt verificationError } }',
        variables: { id: created.body.id },
      },
    });
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.verifyWebhook).toMatchObject({ id: created.body.id, verification: 'VERIFIED' });
  });
});

describe('replays and their limits', () => {
  it('a replay does not queue again what is still pending for the subscription', async () => {
    const c = await seed(app).client({ tier: 'enterprise' });
    // From the database's clock, just before this test's two products: a window reaching back into the earlier
    // tests' products could fill the cap (MAX_OUTSTANDING) with the first replay, and the second would be a 409.
    const [{ now }] = await app.db.sql<{ now: Date }[]>`select clock_timestamp() as now`;
    const since = now.toISOString();
    const [a, b] = [barcode(13), barcode(13)];
    await putProduct(app, a);
    await putProduct(app, b);
    const sub = await c.webhook({ url: (await receiver()).url, events: ['product.created'] });
    const replay = () => api(c, `/api/v1/webhooks/${sub.id}/replay`, { body: { since } });
    const first = await replay();
    expect(first.status).toBe(202);
    expect(first.body.queued).toBeGreaterThanOrEqual(2);
    const afterFirst = await queued(sub.id);
    const second = await replay();
    expect(second.status).toBe(202);
    expect(second.body.queued).toBe(0);
    expect(await queued(sub.id)).toEqual(afterFirst);
    // Each event at most once in the queue.
    const ids = afterFirst.map((d) => d.event_id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('outstanding deliveries are capped: a replay stops at the cap (next_since), then is refused with 409', async () => {
    const c = await seed(app).client({ tier: 'enterprise' });
    const since = new Date(Date.now() - 1000).toISOString();
    for (let i = 0; i < MAX_OUTSTANDING + 2; i++) await putProduct(app, barcode(13));
    const sub = await c.webhook({ url: (await receiver()).url, events: ['product.created'] });
    const first = await api(c, `/api/v1/webhooks/${sub.id}/replay`, { body: { since } });
    expect(first.status).toBe(202);
    expect(first.body.queued).toBe(MAX_OUTSTANDING);
    expect(first.body.next_since).toEqual(expect.any(String));
    expect(await queued(sub.id)).toHaveLength(MAX_OUTSTANDING);
    const refused = await api(c, `/api/v1/webhooks/${sub.id}/replay`, { body: { since: first.body.next_since } });
    expectError(refused, 409, 'conflict', 'outstanding');
    expect(await queued(sub.id)).toHaveLength(MAX_OUTSTANDING);
  });

  it('replays are rate-limited per client: 429 rate_limited with Retry-After past the hourly budget', async () => {
    const c = await seed(app).client({ tier: 'enterprise' });
    const sub = await c.webhook({ url: (await receiver()).url, events: ['product.created'] });
    // An empty range: the budget counts calls, not events (and the cap of outstanding deliveries stays out of it).
    const since = new Date().toISOString();
    for (let i = 0; i < REPLAYS_PER_HOUR; i++) {
      expect((await api(c, `/api/v1/webhooks/${sub.id}/replay`, { body: { since } })).status).toBe(202);
    }
    const refused = await api(c, `/api/v1/webhooks/${sub.id}/replay`, { body: { since } });
    expectError(refused, 429, 'rate_limited', 'replays');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    // Another client has its own budget.
    const other = await seed(app).client({ tier: 'enterprise' });
    const otherSub = await other.webhook({ url: (await receiver()).url, events: ['product.created'] });
    expect((await api(other, `/api/v1/webhooks/${otherSub.id}/replay`, { body: { since } })).status).toBe(202);
  });

  it('test pings and verifications share a per-minute budget per client', async () => {
    const c = await seed(app).client({ tier: 'enterprise' });
    const rcv = await receiver();
    const sub = await c.webhook({ url: rcv.url, events: ['product.created'] });
    for (let i = 0; i < PINGS_PER_MINUTE - 1; i++) {
      const ping = await api(c, `/api/v1/webhooks/${sub.id}/test`, { method: 'POST' });
      expect(ping.status).toBe(200);
      expect(ping.body.delivery).toMatchObject({ status: 'delivered', response_excerpt: null });
    }
    expect((await api(c, `/api/v1/webhooks/${sub.id}/verify`, { method: 'POST' })).status).toBe(200);
    const refused = await api(c, `/api/v1/webhooks/${sub.id}/test`, { method: 'POST' });
    expectError(refused, 429, 'rate_limited', 'test pings');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expectError(await api(c, `/api/v1/webhooks/${sub.id}/verify`, { method: 'POST' }), 429, 'rate_limited');
    expect(rcv.received).toHaveLength(PINGS_PER_MINUTE - 1);
  });
});

describe('targets without WEBHOOKS_ALLOW_LOCAL', () => {
  let strict: TestApp;
  let c: SignedInClient;
  beforeAll(async () => {
    // Unset, in a non-production NODE_ENV: local targets are refused all the same.
    strict = await startTestApp({ env: { WEBHOOKS_DISPATCHER: '0', WEBHOOKS_ALLOW_LOCAL: undefined as never } });
    c = await seed(strict).client({ tier: 'enterprise' });
  });
  afterAll(() => strict.close());

  it('refuses http, loopback and private targets in every IPv6 spelling, and ports other than 443', async () => {
    expect(strict.config.webhooks.allowLocal).toBe(false);
    const rcv = await receiver();
    for (const url of [
      rcv.url,
      rcv.url.replace('http:', 'https:'),
      'https://127.0.0.1/hooks',
      'https://localhost/hooks',
      'https://[::1]/hooks',
      'https://[::127.0.0.1]/hooks',
      'https://[::ffff:127.0.0.1]/hooks',
      'https://[::ffff:0:7f00:1]/hooks',
      'https://[64:ff9b::a9fe:a9fe]/hooks',
      'https://[2002:a00:1::1]/hooks',
      'https://[fd00:ec2::254]/hooks',
      'https://[fe80::1]/hooks',
      'https://10.0.0.1/hooks',
      'https://169.254.169.254/latest',
      'https://93.184.215.14:22/',
      'https://93.184.215.14:6379/',
    ]) {
      const res = call(strict.url, '/api/v1/webhooks', {
        token: c.accessToken,
        body: { url, events: ['product.created'] },
      });
      expectError(await res, 400, 'bad_request', 'url');
    }
    expect(rcv.received).toEqual([]);
    expect(rcv.verifications).toEqual([]);
  });
});
