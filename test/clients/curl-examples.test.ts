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

async function balanceUnits(token: string): Promise<number> {
  const res = await fetch(`${env.KC_DIRECT_URL}/api/v1/balance`, { headers: { authorization: `Bearer ${token}` } });
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

  it('run as written: token, product (billed), head, bulk check, listing, balance, account, pricing, usage, webhook, image', async () => {
    const tokens = JSON.parse(await example('token_exchange')) as { access_token: string; expires_in: number };
    expect(tokens.expires_in).toBe(Number(env.KC_ACCESS_TOKEN_TTL_SEC));
    // Tokens live 4 s in the harness: each call below takes a fresh one, as a long-running user would refresh.
    const token = async () => (JSON.parse(await example('token_exchange')) as { access_token: string }).access_token;

    let TOKEN = await token();
    const before = await balanceUnits(TOKEN);
    const product = JSON.parse(await example('get_product', { TOKEN })) as {
      barcode: string;
      product_meta: { brand: string };
      images: { front: string };
      meta: { credits_debited: number };
    };
    expect(product.barcode).toBe('017000161563');
    expect(product.product_meta.brand).toBe('Cheerios');
    expect(product.meta.credits_debited).toBe(1.3); // product_meta 0.5 + one image 0.8 (docs/billing.md)
    expect(before - (await balanceUnits(TOKEN))).toBe(13_000);

    TOKEN = await token();
    const head = await example('head_product', { TOKEN });
    expect(head).toMatch(/^HTTP\/1\.1 200/);
    expect(head).toMatch(/^x-available-variants: front,back\r?$/im);

    const bulk = JSON.parse(await example('bulk_check', { TOKEN })) as { results: { exists: boolean }[] };
    expect(bulk.results.map((r) => r.exists)).toEqual([true, true, true]);

    const listing = JSON.parse(await example('list_products', { TOKEN })) as { items: { barcode: string }[] };
    expect(listing.items.map((i) => i.barcode)).toContain('017000161563');

    TOKEN = await token();
    const balance = JSON.parse(await example('balance', { TOKEN })) as { credits_remaining: number };
    expect(Math.round(balance.credits_remaining * 10_000)).toBe(await balanceUnits(TOKEN));

    const me = JSON.parse(await example('account', { TOKEN })) as { client: { client_id: string; mode: string } };
    expect(me.client).toMatchObject({ client_id: env.KC_CLIENT_ID, mode: 'live' });
    const prices = JSON.parse(await example('pricing', { TOKEN })) as { actions: Record<string, number> };
    expect(prices.actions['products.get']).toBe(0.5);
    const usage = JSON.parse(await example('usage', { TOKEN })) as { rows: { action: string; credits: number }[] };
    // The product read above: its scope (products.get) and its image (products.get.per_image), 1.3 credits.
    const read = usage.rows.filter((r) => r.action.startsWith('products.get'));
    expect(read.reduce((sum, r) => sum + Math.round(r.credits * 10_000), 0)).toBe(13_000);

    const hook = JSON.parse(
      await example('create_webhook', { TOKEN, WEBHOOK_URL: `${env.KC_WEBHOOK_SINK}/curl-example` }),
    ) as { id: string; secret: string };
    expect(hook.secret).toMatch(/^whsec_/);

    await example('download_image', { SIGNED_URL: product.images.front });
    const jpeg = await readFile(path.join(workDir, 'front.jpg'));
    expect([...jpeg.subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff]);
  }, 120_000);
});
