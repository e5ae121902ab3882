// The curl examples (clients/curl/examples), which the API reference shows as each operation's curl sample
// (src/platform/docs-site/code-samples.ts), run as written with bash and curl against the live harness
// (test/clients/live-server.ts): every sampled operation's file, in the order a user chains them (the token from
// the exchange, the signed URL from the product read), each with its documented outcome and bill.
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { curlExampleFile, SAMPLED_OPERATIONS } from '../../src/platform/docs-site/code-samples.ts';
import { type LiveServer, provisionLanguage, startLiveServer } from './live-server.ts';
import { hasBinary } from './suite-runner.ts';

const run = promisify(execFile);
let server: LiveServer;
let env: Record<string, string>;
let workDir: string;

beforeAll(async () => {
  server = await startLiveServer();
  env = await provisionLanguage(server, 'curl');
  workDir = await mkdtemp(path.join(os.tmpdir(), 'kc-curl-examples-'));
});
afterAll(async () => {
  await server?.close();
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

/** Runs one example file with bash in a scratch directory, the harness's variables plus `extra` set. */
async function example(name: string, extra: Record<string, string> = {}): Promise<string> {
  const { stdout } = await run('bash', [curlExampleFile(name)], {
    cwd: workDir,
    env: { PATH: process.env.PATH ?? '', ...env, ...extra },
    timeout: 30_000,
  });
  return stdout;
}

/**
 * An example that sends $TOKEN, with a token fresh from token_exchange.sh: the harness's tokens live 4 s, which a
 * loaded machine can spend between two calls (a long-running user refreshes the same way).
 */
async function authed(name: string, extra: Record<string, string> = {}): Promise<string> {
  const { access_token } = JSON.parse(await example('token_exchange')) as { access_token: string };
  return example(name, { TOKEN: access_token, ...extra });
}

/** The balance in 1/10,000 credits, read past the proxy with a fresh token. */
async function balanceUnits(): Promise<number> {
  const { access_token } = JSON.parse(await example('token_exchange')) as { access_token: string };
  const res = await fetch(`${env.KC_DIRECT_URL}/api/v1/balance`, {
    headers: { authorization: `Bearer ${access_token}` },
  });
  return Math.round(((await res.json()) as { credits_remaining: number }).credits_remaining * 10_000);
}

describe('clients/curl examples', () => {
  it('are exactly the curl samples of the reference', async () => {
    expect(hasBinary('curl') && hasBinary('bash'), 'curl and bash are installed').toBe(true);
    const files = (await readdir(path.dirname(curlExampleFile('x')))).filter((f) => f.endsWith('.sh'));
    expect(files.sort()).toEqual(
      Object.values(SAMPLED_OPERATIONS)
        .map((o) => `${o.curl}.sh`)
        .sort(),
    );
  });

  it('run as written: token, product (billed), head, bulk check, listing, balance, account, pricing, usage, webhooks, image', async () => {
    const tokens = JSON.parse(await example('token_exchange')) as { access_token: string; expires_in: number };
    expect(tokens.expires_in).toBe(Number(env.KC_ACCESS_TOKEN_TTL_SEC));
    const before = await balanceUnits();
    const product = JSON.parse(await authed('get_product')) as {
      barcode: string;
      product_meta: { brand: string };
      images: { front: string };
      meta: { credits_debited: number };
    };
    expect(product.barcode).toBe('017000161563');
    expect(product.product_meta.brand).toBe('Cheerios');
    expect(product.meta.credits_debited).toBe(1.3); // product_meta 0.5 + one image 0.8 (docs/billing.md)
    expect(before - (await balanceUnits())).toBe(13_000);

    const head = await authed('head_product');
    expect(head).toMatch(/^HTTP\/1\.1 200/);
    expect(head).toMatch(/^x-available-variants: front,back\r?$/im);

    const bulk = JSON.parse(await authed('bulk_check')) as { results: { exists: boolean }[] };
    expect(bulk.results.map((r) => r.exists)).toEqual([true, true, true]);

    const listing = JSON.parse(await authed('list_products')) as { items: { barcode: string }[] };
    expect(listing.items.map((i) => i.barcode)).toContain('017000161563');

    const balance = JSON.parse(await authed('balance')) as { credits_remaining: number };
    expect(Math.round(balance.credits_remaining * 10_000)).toBe(await balanceUnits());

    const me = JSON.parse(await authed('account')) as { client: { client_id: string; mode: string } };
    expect(me.client).toMatchObject({ client_id: env.KC_CLIENT_ID, mode: 'live' });
    const prices = JSON.parse(await authed('pricing')) as { actions: Record<string, number> };
    expect(prices.actions['products.get']).toBe(0.5);
    const usage = JSON.parse(await authed('usage')) as { rows: { action: string; credits: number }[] };
    // The product read above: its scope (products.get) and its image (products.get.per_image), 1.3 credits.
    const read = usage.rows.filter((r) => r.action.startsWith('products.get'));
    expect(read.reduce((sum, r) => sum + Math.round(r.credits * 10_000), 0)).toBe(13_000);

    const hook = JSON.parse(await authed('create_webhook', { WEBHOOK_URL: `${env.KC_WEBHOOK_SINK}/curl-example` })) as {
      id: string;
      secret: string;
    };
    expect(hook.secret).toMatch(/^whsec_/);
    const hooks = JSON.parse(await authed('list_webhooks')) as { webhooks: { id: string }[] };
    expect(hooks.webhooks.map((h) => h.id)).toContain(hook.id);
    const got = JSON.parse(await authed('get_webhook', { WEBHOOK_ID: hook.id })) as { id: string; enabled: boolean };
    expect(got).toMatchObject({ id: hook.id, enabled: true });
    const ping = JSON.parse(await authed('ping_webhook', { WEBHOOK_ID: hook.id })) as {
      delivery: { status: string; last_status_code: number };
    };
    expect(ping.delivery).toMatchObject({ status: 'delivered', last_status_code: 200 });
    expect(await authed('delete_webhook', { WEBHOOK_ID: hook.id })).toBe('');
    const left = JSON.parse(await authed('list_webhooks')) as { webhooks: { id: string }[] };
    expect(left.webhooks.map((h) => h.id)).not.toContain(hook.id);

    const managed = JSON.parse(
      await authed('create_webhook', { WEBHOOK_URL: `${env.KC_WEBHOOK_SINK}/curl-example-manage` }),
    ) as { id: string; created_at: string };
    const updated = JSON.parse(await authed('update_webhook', { WEBHOOK_ID: managed.id })) as { events: string[] };
    expect(updated.events).toEqual(['product.created', 'product.updated']);
    const verified = JSON.parse(await authed('verify_webhook_endpoint', { WEBHOOK_ID: managed.id })) as {
      verification: string;
    };
    expect(verified.verification).toBe('verified');
    JSON.parse(await authed('ping_webhook', { WEBHOOK_ID: managed.id }));
    const log = JSON.parse(await authed('webhook_deliveries', { WEBHOOK_ID: managed.id })) as {
      deliveries: { event: string; status: string }[];
    };
    expect(log.deliveries.map((d) => [d.event, d.status])).toEqual([['webhook.test', 'delivered']]);
    // No catalog change since the subscription was made: nothing to send again.
    const replay = JSON.parse(
      await authed('replay_webhook', { WEBHOOK_ID: managed.id, SINCE: managed.created_at }),
    ) as {
      queued: number;
      next_since: string | null;
    };
    expect(replay).toMatchObject({ queued: 0, next_since: null });
    await authed('delete_webhook', { WEBHOOK_ID: managed.id });

    await example('download_image', { SIGNED_URL: product.images.front });
    const jpeg = await readFile(path.join(workDir, 'front.jpg'));
    expect([...jpeg.subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff]);
  }, 120_000);

  it('run as written: health, the OpenAPI document, refresh, revoke', async () => {
    const health = JSON.parse(await example('health')) as { status: string };
    expect(health.status).toBe('ok');
    await example('openapi');
    const doc = JSON.parse(await readFile(path.join(workDir, 'openapi.json'), 'utf8')) as { paths: object };
    expect(Object.keys(doc.paths)).toContain('/api/v1/products/{barcode}');

    const first = JSON.parse(await example('token_exchange')) as { refresh_token: string };
    const next = JSON.parse(await example('refresh_tokens', { REFRESH_TOKEN: first.refresh_token })) as {
      access_token: string;
      refresh_token: string;
    };
    expect(next.refresh_token).not.toBe(first.refresh_token);
    const revoked = JSON.parse(await example('revoke_token', { REFRESH_TOKEN: next.refresh_token })) as {
      revoked: boolean;
      token_type: string;
    };
    expect(revoked).toMatchObject({ revoked: true, token_type: 'refresh_token' });
    // The revoked refresh token is refused (curl --fail-with-body exits 22 on the 401).
    await expect(example('refresh_tokens', { REFRESH_TOKEN: next.refresh_token })).rejects.toMatchObject({
      code: 22,
      stdout: expect.stringContaining('refresh_token_invalid'),
    });
  });
});
