// The live harness itself (test/clients/live-server.ts), so the client suites can rely on its contract: the env of
// a provisioned language, the lossy proxy's drop (the debit committed, the answer lost), the sink's records and
// its challenge echo, and the short access-token lifetime.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LiveServer, provisionLanguage, startLiveServer } from './live-server.ts';

let server: LiveServer;
let env: Record<string, string>;

beforeAll(async () => {
  server = await startLiveServer();
  env = await provisionLanguage(server, 'harness');
});
afterAll(async () => {
  await server?.close();
});

async function token(clientId = env.KC_CLIENT_ID, apiKey = env.KC_API_KEY) {
  const res = await fetch(`${env.KC_BASE_URL}/api/v1/auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ client_id: clientId, api_key: apiKey }),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as { access_token: string; expires_in: number };
}

const balance = async (access: string) =>
  (
    (await (
      await fetch(`${env.KC_DIRECT_URL}/api/v1/balance`, { headers: { authorization: `Bearer ${access}` } })
    ).json()) as { credits_remaining: number }
  ).credits_remaining;

describe('live harness', () => {
  it('provisions the documented variables', async () => {
    expect(Object.keys(env).sort()).toEqual(
      [
        'KC_BASE_URL',
        'KC_DIRECT_URL',
        'KC_PROXY_CONTROL',
        'KC_CLIENT_ID',
        'KC_API_KEY',
        'KC_LIMITED_CLIENT_ID',
        'KC_LIMITED_API_KEY',
        'KC_TEST_CLIENT_ID',
        'KC_TEST_API_KEY',
        'KC_BARCODE',
        'KC_BARCODES',
        'KC_ADMIN_URL',
        'KC_ADMIN_TOKEN',
        'KC_WEBHOOK_SINK',
        'KC_ACCESS_TOKEN_TTL_SEC',
      ].sort(),
    );
    expect(env.KC_API_KEY).toMatch(/^kc_live_/);
    expect(env.KC_TEST_API_KEY).toMatch(/^kc_test_/);
    expect(env.KC_BARCODES.split(',')[0]).toBe('017000161563');
    const t = await token();
    expect(t.expires_in).toBe(4);
    expect(await balance(t.access_token)).toBe(1000);
    const head = await fetch(`${env.KC_BASE_URL}/api/v1/products/${env.KC_BARCODE}`, {
      method: 'HEAD',
      headers: { authorization: `Bearer ${t.access_token}` },
    });
    expect(head.headers.get('x-available-variants')).toBe('front,back');
    // Every seeded barcode exists.
    const bulk = await fetch(`${env.KC_DIRECT_URL}/api/v1/products/bulk-check`, {
      method: 'POST',
      headers: { authorization: `Bearer ${t.access_token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ barcodes: env.KC_BARCODES.split(',') }),
    });
    const rows = ((await bulk.json()) as { results: { exists: boolean }[] }).results;
    expect(rows.every((r) => r.exists)).toBe(true);
  });

  it('the proxy drops an armed answer after the app committed it', async () => {
    const t = await token();
    const before = await balance(t.access_token);
    const arm = await fetch(`${env.KC_PROXY_CONTROL}/__proxy/drop-next?path=/api/v1/products/`, { method: 'POST' });
    expect(arm.status).toBe(200);
    const lost = await fetch(`${env.KC_BASE_URL}/api/v1/products/${env.KC_BARCODE}?include=product_meta`, {
      headers: { authorization: `Bearer ${t.access_token}` },
    }).then(
      () => 'answered',
      (e: Error) => `failed: ${e.message}`,
    );
    expect(lost).toMatch(/^failed/);
    // The read was billed (0.5 for product_meta) though its answer never arrived.
    expect(await balance(t.access_token)).toBe(before - 0.5);
    const stats = (await (await fetch(`${env.KC_PROXY_CONTROL}/__proxy/stats`)).json()) as Record<string, unknown>;
    expect(stats.dropped).toBe(1);
    expect(stats.armed).toEqual([]);
    // Disarmed: the next request passes.
    const ok = await fetch(`${env.KC_BASE_URL}/api/v1/products/${env.KC_BARCODE}?include=product_meta`, {
      headers: { authorization: `Bearer ${t.access_token}` },
    });
    expect(ok.status).toBe(200);
  });

  it('the proxy replaces an armed answer with a gateway error after the app committed it', async () => {
    const t = await token();
    const before = await balance(t.access_token);
    const bad = await fetch(`${env.KC_PROXY_CONTROL}/__proxy/fail-next?path=/api/v1/products/&status=404`, {
      method: 'POST',
    });
    expect(bad.status).toBe(400);
    await fetch(`${env.KC_PROXY_CONTROL}/__proxy/fail-next?path=/api/v1/products/&status=503`, { method: 'POST' });
    const res = await fetch(`${env.KC_BASE_URL}/api/v1/products/${env.KC_BARCODE}?include=product_meta`, {
      headers: { authorization: `Bearer ${t.access_token}` },
    });
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ error: 'bad_gateway' });
    expect(await balance(t.access_token)).toBe(before - 0.5);
    const stats = (await (await fetch(`${env.KC_PROXY_CONTROL}/__proxy/stats`)).json()) as Record<string, unknown>;
    expect(stats).toMatchObject({ failed: 1, armed: [] });
  });

  it('the sink records posts and echoes a challenge', async () => {
    const a = await fetch(`${env.KC_WEBHOOK_SINK}/harness/one`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'webhook-id': 'msg_1' },
      body: '{"type":"webhook.verification","challenge":"c-123"}',
    });
    expect(await a.json()).toEqual({ challenge: 'c-123' });
    const b = await fetch(`${env.KC_WEBHOOK_SINK}/harness/two`, { method: 'POST', body: 'plain' });
    expect(b.status).toBe(200);
    const got = (await (await fetch(`${env.KC_WEBHOOK_SINK}/__received?path=/harness/one`)).json()) as {
      headers: Record<string, string>;
      body: string;
    }[];
    expect(got).toHaveLength(1);
    expect(got[0].headers['webhook-id']).toBe('msg_1');
    expect(got[0].body).toBe('{"type":"webhook.verification","challenge":"c-123"}');
  });
});
