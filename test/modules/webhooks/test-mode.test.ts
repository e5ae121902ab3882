// Webhooks in test mode (docs/test-mode.md#webhooks, docs/webhooks.md#catalogs): a test client's subscriptions hear
// sandbox changes only, a live client's live changes only, even for a barcode both catalogs hold; replays keep to
// the client's catalog; and nothing about webhooks is billed, in test mode as in live.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { call } from '../../helpers/http.ts';
import { putProduct, type SignedInClient, seed } from '../../helpers/testkit.ts';
import { type Receiver, startReceiver } from '../../helpers/webhook-receiver.ts';

/** In the sandbox and, once this file creates it, in the live catalog too. */
const SAMPLE = '017000161563';
const EVENTS = ['product.created', 'product.updated'];

let app: TestApp;
let live: SignedInClient;
let test: SignedInClient;
let liveRcv: Receiver;
let testRcv: Receiver;
let accountId: string;

const sandboxChange = () =>
  call(app.url, '/admin/v1/sandbox/changes', { token: app.adminToken, body: { barcode: SAMPLE } });
const about = (r: Receiver, type: string) =>
  r.accepted().filter((x) => x.body?.type === type && x.body?.data?.barcode === SAMPLE);

beforeAll(async () => {
  app = await startTestApp({ env: { WEBHOOKS_POLL_MS: '100' } });
  const account = await seed(app).account({ credits: 10 });
  accountId = account.accountId;
  live = await (await account.client({ tier: 'standard' })).signIn();
  test = await (await account.client({ tier: 'standard', mode: 'test' })).signIn();
  // Seed the sandbox before anyone subscribes (its 50 products would otherwise be announced as created).
  expect((await sandboxChange()).status).toBe(201);
  liveRcv = await startReceiver();
  testRcv = await startReceiver();
  await live.webhook({ url: liveRcv.url, events: EVENTS });
  await test.webhook({ url: testRcv.url, events: EVENTS });
}, 120_000);
afterAll(async () => {
  await liveRcv?.close();
  await testRcv?.close();
  await app?.close();
});

describe('webhooks per catalog', () => {
  let sandboxMessage: string;
  let t0: string;

  it("a sandbox change reaches the test client's subscription, not the live client's", async () => {
    t0 = new Date().toISOString();
    const change = await sandboxChange();
    expect(change.status).toBe(201);
    await testRcv.waitFor(() => about(testRcv, 'product.updated').length === 1, 10_000);
    const [event] = about(testRcv, 'product.updated');
    expect(event.body.data).toMatchObject({ barcode: SAMPLE, changed_fields: ['product_description'] });
    sandboxMessage = event.id;
    await new Promise((r) => setTimeout(r, 500));
    expect(liveRcv.accepted()).toEqual([]);
  });

  it("a live change of the same barcode reaches the live client's subscription, not the test client's", async () => {
    expect((await putProduct(app, SAMPLE)).status).toBe(201);
    await liveRcv.waitFor(() => about(liveRcv, 'product.created').length === 1, 10_000);
    await new Promise((r) => setTimeout(r, 500));
    expect(about(testRcv, 'product.created')).toEqual([]);
    expect(testRcv.accepted()).toHaveLength(1);
  });

  it("a replay keeps to the client's catalog", async () => {
    const [liveSub] = (await call(app.url, '/api/v1/webhooks', { token: live.accessToken })).body.webhooks;
    const [testSub] = (await call(app.url, '/api/v1/webhooks', { token: test.accessToken })).body.webhooks;
    const replayTest = await call(app.url, `/api/v1/webhooks/${testSub.id}/replay`, {
      token: test.accessToken,
      body: { since: t0 },
    });
    expect(replayTest.status).toBe(202);
    expect(replayTest.body.queued).toBe(1);
    await testRcv.waitFor(() => about(testRcv, 'product.updated').length === 2, 10_000);
    expect(about(testRcv, 'product.updated')[1].id).toBe(sandboxMessage);
    const replayLive = await call(app.url, `/api/v1/webhooks/${liveSub.id}/replay`, {
      token: live.accessToken,
      body: { since: t0 },
    });
    expect(replayLive.body.queued).toBe(1);
    await liveRcv.waitFor(() => liveRcv.accepted().length === 2, 10_000);
    await new Promise((r) => setTimeout(r, 300));
    expect(liveRcv.accepted().map((x) => x.body.type)).toEqual(['product.created', 'product.created']);
    expect(testRcv.accepted()).toHaveLength(2);
  });

  it('webhooks cost nothing in test mode: no test usage recorded, no credit moved', async () => {
    const [{ n }] = await app.db.sql<{ n: number }[]>`
      select count(*)::int as n from test_usage where account_id = ${accountId}`;
    expect(n).toBe(0);
    const [{ balance }] = await app.db.sql<{ balance: string }[]>`
      select balance::text as balance from accounts where account_id = ${accountId}`;
    expect(balance).toBe('100000');
  });
});
