// Signing-secret rotation with overlap (docs/webhooks.md#secret-rotation), through the console's
// consoleRotateWebhookSecret (CONTRACT's REST webhooks name no rotation). During the overlap every delivery carries
// two `v1,` signatures, so a receiver holding either secret accepts it (checked with the standardwebhooks package);
// after it, only the new secret signs. The overlap is shortened here (WEBHOOKS_SECRET_OVERLAP_SEC=3).
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { ConsoleClient } from '../../helpers/console-client.ts';
import { seed } from '../../helpers/testkit.ts';
import { type Received, type Receiver, startReceiver } from '../../helpers/webhook-receiver.ts';

let app: TestApp;
let rcv: Receiver;
beforeAll(async () => {
  rcv = await startReceiver();
  app = await startTestApp({ env: { SIGNUP: 'open', WEBHOOKS_SECRET_OVERLAP_SEC: '3' } });
});
afterAll(async () => {
  await app?.close();
  await rcv?.close();
});

/** Whether a receiver holding `secret` accepts the delivery (standardwebhooks: any one matching signature). */
function accepts(secret: string, r: Received): boolean {
  try {
    new Webhook(secret).verify(r.raw, {
      'webhook-id': r.id,
      'webhook-timestamp': r.timestamp,
      'webhook-signature': r.signature,
    });
    return true;
  } catch {
    return false;
  }
}

const CREATE =
  'mutation($c: ID!, $u: String!) { consoleCreateWebhook(clientId: $c, url: $u, events: ["product.created"]) { secret webhook { id } } }';
const ROTATE =
  'mutation($id: ID!) { consoleRotateWebhookSecret(id: $id) { secret previousSecretValidUntil webhook { id url } } }';
const PING = 'mutation($id: ID!) { consoleTestWebhook(id: $id) { event status } }';

describe('webhook secret rotation', () => {
  it('signs with the old and the new secret during the overlap, with the new one only after it', async () => {
    const c = new ConsoleClient(app.url);
    await c.signUp();
    const live = await c.client('LIVE');
    const made = (await c.ok(CREATE, { c: live.clientId, u: rcv.url })).consoleCreateWebhook;
    const id = made.webhook.id;
    const oldSecret: string = made.secret;

    await c.ok(PING, { id });
    const before = rcv.received.at(-1) as Received;
    expect(before.signature.split(' ')).toHaveLength(1);
    expect(accepts(oldSecret, before)).toBe(true);

    const rotated = (await c.ok(ROTATE, { id })).consoleRotateWebhookSecret;
    const newSecret: string = rotated.secret;
    expect(newSecret).toMatch(/^whsec_/);
    expect(newSecret).not.toBe(oldSecret);
    expect(rotated.webhook).toEqual({ id, url: rcv.url });
    const until = Date.parse(rotated.previousSecretValidUntil);
    expect(until - Date.now()).toBeGreaterThan(0);
    expect(until - Date.now()).toBeLessThanOrEqual(3_000);

    // A live catalog change after the rotation (claimed by the dispatcher), and a test ping (attempted at once).
    const n = rcv.received.length;
    const p = await seed(app).product();
    await rcv.waitFor((r) => r.received.some((x) => x.body?.data?.barcode === p.barcode));
    await c.ok(PING, { id });
    const during = rcv.received.slice(n);
    expect(during.map((r) => r.body.type).sort()).toEqual(['product.created', 'webhook.test']);
    for (const r of during) {
      expect(r.signature.split(' ')).toHaveLength(2);
      expect(accepts(oldSecret, r)).toBe(true);
      expect(accepts(newSecret, r)).toBe(true);
      expect(accepts(`whsec_${Buffer.alloc(32, 7).toString('base64')}`, r)).toBe(false);
    }

    // After the overlap: the old secret no longer signs.
    while (Date.now() <= until + 50) await new Promise((res) => setTimeout(res, 50));
    await c.ok(PING, { id });
    const after = rcv.received.at(-1) as Received;
    expect(after.body.type).toBe('webhook.test');
    expect(after.signature.split(' ')).toHaveLength(1);
    expect(accepts(newSecret, after)).toBe(true);
    expect(accepts(oldSecret, after)).toBe(false);

    const log = (await c.ok('{ consoleAuditLog { entries { action target } } }')).consoleAuditLog.entries;
    expect(log).toContainEqual({ action: 'webhook.rotate_secret', target: id });
  });

  it("refuses another account's webhook (404) and a viewer (403)", async () => {
    const owner = new ConsoleClient(app.url);
    await owner.signUp();
    const live = await owner.client('LIVE');
    const id = (await owner.ok(CREATE, { c: live.clientId, u: rcv.url })).consoleCreateWebhook.webhook.id;
    const other = new ConsoleClient(app.url);
    await other.signUp();
    expect(await other.code(ROTATE, { id })).toBe('NOT_FOUND');
    const invited = (
      await owner.ok('mutation($e: String!) { consoleInvite(email: $e, role: VIEWER) { devLink } }', {
        e: `viewer.${Date.now()}@example.test`,
      })
    ).consoleInvite;
    const viewer = new ConsoleClient(app.url);
    const s = (
      await viewer.ok(
        'mutation($t: String!, $p: String!) { consoleAcceptInvitation(token: $t, password: $p) { csrfToken } }',
        { t: new URL(invited.devLink).searchParams.get('token'), p: 'a long enough passphrase 42' },
      )
    ).consoleAcceptInvitation;
    viewer.csrf = s.csrfToken;
    expect(await viewer.code(ROTATE, { id })).toBe('FORBIDDEN');
  });
});
