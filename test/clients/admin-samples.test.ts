// The admin API's code samples (clients/admin: a curl file per operation, and operations.mjs, .php and .py holding
// one plain-HTTP function per operation), which the API reference shows for every /admin/v1 operation
// (src/platform/docs-site/code-samples.ts), run as written against the live harness (test/clients/live-server.ts)
// with its admin token: every operation in every language, each on its own account, client, product and webhook,
// with the outcome the operation documents.
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_OPERATIONS, adminExample } from '../../src/platform/docs-site/code-samples.ts';
import { barcode } from '../helpers/testkit.ts';
import { type LiveServer, provisionLanguage, startLiveServer } from './live-server.ts';
import { hasBinary } from './suite-runner.ts';

const run = promisify(execFile);
const ADMIN = path.resolve(import.meta.dirname, '../../clients/admin');
type Lang = 'curl' | 'js' | 'php' | 'python';

let server: LiveServer;
let env: Record<string, string>;
let workDir: string;

beforeAll(async () => {
  server = await startLiveServer();
  env = await provisionLanguage(server, 'admin-samples');
  workDir = await mkdtemp(path.join(os.tmpdir(), 'kc-admin-samples-'));
});
afterAll(async () => {
  await server?.close();
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

const childEnv = (extra: Record<string, string> = {}) => ({
  PATH: process.env.PATH ?? '',
  KC_ADMIN_URL: env.KC_ADMIN_URL,
  KC_ADMIN_TOKEN: env.KC_ADMIN_TOKEN,
  PYTHONDONTWRITEBYTECODE: '1',
  ...extra,
});

// PHP and Python: require the file, call one function with JSON arguments, print {value, out} (what it printed).
const PHP_CALL = `require $argv[1]; ob_start(); $v = ($argv[2])(...json_decode($argv[3], true));
$out = ob_get_clean(); echo json_encode(['value' => $v, 'out' => $out]);`;
const PY_CALL = `import contextlib, importlib.util, io, json, sys
spec = importlib.util.spec_from_file_location("operations", sys.argv[1]); m = importlib.util.module_from_spec(spec)
spec.loader.exec_module(m); out = io.StringIO()
with contextlib.redirect_stdout(out): v = getattr(m, sys.argv[2])(*json.loads(sys.argv[3]))
print(json.dumps({"value": v, "out": out.getvalue()}))`;

let jsModule: Record<string, (...args: unknown[]) => Promise<unknown>> | undefined;

/**
 * Runs one admin operation's sample in one language: the function with `args` (JS, PHP, Python), or the curl file
 * with `vars` (its fixed body stands for the arguments). The answer's JSON (text for the metrics).
 */
async function sample(
  lang: Lang,
  operationId: string,
  args: unknown[],
  vars: Record<string, string> = {},
): Promise<any> {
  const ex = adminExample(operationId);
  const opts = { cwd: workDir, env: childEnv(vars), timeout: 60_000, maxBuffer: 16 << 20 };
  let text: string;
  if (lang === 'curl') {
    text = (await run('bash', [ex.curl], opts)).stdout;
    return operationId === 'adminMetrics' ? text : JSON.parse(text);
  }
  if (lang === 'js') {
    // The module reads KC_ADMIN_URL and KC_ADMIN_TOKEN once, when it is loaded.
    process.env.KC_ADMIN_URL = env.KC_ADMIN_URL;
    process.env.KC_ADMIN_TOKEN = env.KC_ADMIN_TOKEN;
    const fns = (jsModule ??= await import(path.join(ADMIN, 'operations.mjs')));
    return fns[ex.js](...args);
  }
  if (lang === 'php')
    text = (await run('php', ['-r', PHP_CALL, path.join(ADMIN, 'operations.php'), ex.php, JSON.stringify(args)], opts))
      .stdout;
  else
    text = (
      await run('python3', ['-c', PY_CALL, path.join(ADMIN, 'operations.py'), ex.python, JSON.stringify(args)], opts)
    ).stdout;
  return (JSON.parse(text) as { value: unknown }).value;
}

/** A fresh token of an API client, and a product read with its signed front image URL (billed to the client). */
async function signedFrontUrl(clientId: string, apiKey: string, code: string): Promise<string> {
  const tokens = await fetch(`${env.KC_DIRECT_URL}/api/v1/auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ client_id: clientId, api_key: apiKey }),
  }).then((r) => r.json() as Promise<{ access_token: string }>);
  const res = await fetch(`${env.KC_DIRECT_URL}/api/v1/products/${code}?include=images&variants=front`, {
    headers: { authorization: `Bearer ${tokens.access_token}` },
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { images: { front: string } }).images.front;
}

async function subscribe(clientId: string, apiKey: string, url: string): Promise<string> {
  const tokens = await fetch(`${env.KC_DIRECT_URL}/api/v1/auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ client_id: clientId, api_key: apiKey }),
  }).then((r) => r.json() as Promise<{ access_token: string }>);
  const res = await fetch(`${env.KC_DIRECT_URL}/api/v1/webhooks`, {
    method: 'POST',
    headers: { authorization: `Bearer ${tokens.access_token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ url, events: ['product.updated'] }),
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

/**
 * A studio picture of its own for each language (stripes of its own count and angle), so the identification of a
 * copy can only find this language's product.
 */
function studioPicture(n: number): Promise<Buffer> {
  const stripes = Array.from(
    { length: 3 + 2 * n },
    (_, i) => `<rect x="${i * 40}" y="0" width="20" height="480" fill="${i % 2 ? '#c03020' : '#2050a0'}"/>`,
  ).join('');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="360" height="360"><rect width="100%" height="100%"
    fill="#f0e8d8"/><g transform="rotate(${25 * n} 180 180)">${stripes}</g><circle cx="${90 + 60 * n}" cy="250" r="50"
    fill="#208040"/></svg>`;
  return sharp(Buffer.from(svg)).jpeg({ quality: 90 }).toBuffer();
}

describe('clients/admin samples', () => {
  it('cover every admin operation, in every language', async () => {
    expect(hasBinary('curl') && hasBinary('php') && hasBinary('python3'), 'curl, php and python3').toBe(true);
    const curlFiles = (await readdir(path.join(ADMIN, 'curl'))).sort();
    expect(curlFiles).toEqual(ADMIN_OPERATIONS.map((id) => path.basename(adminExample(id).curl)).sort());
  });

  for (const [n, lang] of (['curl', 'js', 'php', 'python'] as const).entries()) {
    it(`${lang}: every admin operation runs as written`, async () => {
      const curl = lang === 'curl';
      // Accounts and clients.
      const account = await sample(lang, 'adminCreateAccount', [`${lang} operator sample`, 100]);
      expect(account).toMatchObject({ name: curl ? 'Acme Foods' : `${lang} operator sample`, credits_remaining: 100 });
      const ACCOUNT_ID = account.account_id as string;
      expect(await sample(lang, 'adminGetAccount', [ACCOUNT_ID], { ACCOUNT_ID })).toMatchObject({
        account_id: ACCOUNT_ID,
        clients: [],
      });
      const client = await sample(lang, 'adminCreateClient', [ACCOUNT_ID, 'Acme storefront', 'standard'], {
        ACCOUNT_ID,
      });
      expect(client).toMatchObject({ account_id: ACCOUNT_ID, name: 'Acme storefront', tier: 'standard' });
      expect(client.api_key).toMatch(/^kc_live_/);
      const CLIENT_ID = client.client_id as string;
      const listed = await sample(lang, 'adminListClients', [ACCOUNT_ID], { ACCOUNT_ID });
      expect((curl ? listed.clients : listed).map((c: { client_id: string }) => c.client_id)).toEqual([CLIENT_ID]);
      expect(await sample(lang, 'adminGetClient', [CLIENT_ID], { CLIENT_ID })).toMatchObject({
        client_id: CLIENT_ID,
        enabled: true,
      });
      expect(await sample(lang, 'adminUpdateClient', [CLIENT_ID, 120], { CLIENT_ID })).toMatchObject({
        client_id: CLIENT_ID,
        limits: { per_minute: 120 },
      });
      const rotated = await sample(lang, 'adminRotateKey', [CLIENT_ID], { CLIENT_ID });
      expect(rotated.client_id).toBe(CLIENT_ID);
      expect(rotated.api_key).toMatch(/^kc_live_/);
      expect(rotated.api_key).not.toBe(client.api_key);
      expect(rotated.previous_key_valid_until).toEqual(expect.any(String));
      const apiKey = rotated.api_key as string;
      const revoked = await sample(lang, 'adminRevokeClientSessions', [CLIENT_ID], { CLIENT_ID });
      expect(revoked).toMatchObject({ client_id: CLIENT_ID, refresh_tokens_revoked: 0 });

      // Credits and pricing.
      const granted = await sample(lang, 'adminGrantCredits', [ACCOUNT_ID, '25', 'goodwill'], {
        ACCOUNT_ID,
        IDEMPOTENCY_KEY: `admin-sample-${lang}-${Date.now()}`,
      });
      expect(granted).toMatchObject({ account_id: ACCOUNT_ID, credits_remaining: 125 });
      const prices = await sample(lang, 'adminSetPricing', ['products.head', '0.05']);
      expect(prices.actions['products.head']).toBe(0.05); // the default rate: the harness's other tests keep it
      const changed = await sample(lang, 'adminChangeSandboxProduct', []);
      expect(changed.barcode).toMatch(/^\d{8,14}$/);
      expect(changed.changed_fields.length).toBeGreaterThan(0);

      // The catalog: a product, its image, a signed URL of it traced, a copy of the image identified.
      const BARCODE = barcode(13);
      const product = { brand: 'Acme', product_name: 'Acme Oat Rings', ownership: 'Acme Foods', category: 'Cereal' };
      expect(await sample(lang, 'adminUpsertProduct', [BARCODE, product], { BARCODE })).toMatchObject({
        barcode: BARCODE,
        outcome: 'inserted',
      });
      const front = path.join(workDir, 'front.jpg');
      await writeFile(front, await studioPicture(n));
      const stored = await sample(lang, 'adminUploadImage', [BARCODE, 'front', front], { BARCODE });
      expect(stored.request_id).toEqual(expect.any(String));
      const SIGNED_URL = await signedFrontUrl(CLIENT_ID, apiKey, BARCODE);
      const trace = await sample(lang, 'adminTraceImageUrl', [SIGNED_URL], { SIGNED_URL });
      expect(trace).toMatchObject({ client_id: CLIENT_ID, barcode: BARCODE, variant: 'front', redeemed: false });
      const copy = path.join(workDir, 'copy.jpg');
      const delivered = await fetch(SIGNED_URL);
      expect(delivered.status).toBe(200);
      await writeFile(copy, Buffer.from(await delivered.arrayBuffer()));
      const found = await sample(lang, 'adminIdentifyImage', [copy]);
      expect(found).toMatchObject({ barcode: BARCODE, variant: 'front', client_id: CLIENT_ID });

      const metrics = await sample(lang, 'adminMetrics', []);
      expect(metrics).toMatch(/^# (HELP|TYPE) /m);

      // Webhooks of the client.
      const WEBHOOK_ID = await subscribe(CLIENT_ID, apiKey, `${env.KC_WEBHOOK_SINK}/admin-sample-${lang}`);
      const hooks = await sample(lang, 'adminListWebhooks', [CLIENT_ID], { CLIENT_ID });
      expect((curl ? hooks.webhooks : hooks).map((h: { id: string }) => h.id)).toEqual([WEBHOOK_ID]);
      const stats = await sample(lang, 'adminWebhookStats', []);
      expect(stats.node).toEqual(expect.objectContaining({ delivered: expect.any(Number) }));
      expect(await sample(lang, 'adminGetWebhook', [WEBHOOK_ID], { WEBHOOK_ID })).toMatchObject({
        id: WEBHOOK_ID,
        enabled: true,
        stats: expect.objectContaining({ queued: expect.any(Number) }),
      });
      const reason = curl ? 'endpoint under maintenance' : 'paused by the operator';
      expect(await sample(lang, 'adminDisableWebhook', [WEBHOOK_ID, reason], { WEBHOOK_ID })).toMatchObject({
        id: WEBHOOK_ID,
        enabled: false,
        disabled_reason: reason,
      });
      expect(await sample(lang, 'adminEnableWebhook', [WEBHOOK_ID], { WEBHOOK_ID })).toMatchObject({
        id: WEBHOOK_ID,
        enabled: true,
      });
      const log = await sample(lang, 'adminListWebhookDeliveries', [WEBHOOK_ID], { WEBHOOK_ID });
      expect(Array.isArray(curl ? log.deliveries : log)).toBe(true);
    }, 120_000);
  }
});
