// The examples stay runnable: every function of examples/operations.mjs and the quick start run against the
// live harness (the API reference shows them, so a broken example would be a broken document).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import * as ops from '../examples/operations.mjs';
import { KosherCatalog } from '../src/index.js';
import { env, received, waitFor } from './helpers.mjs';

const here = path.dirname(new URL(import.meta.url).pathname);

describe('examples', () => {
  it('operations.mjs: every operation runs', async () => {
    const kc = new KosherCatalog({
      baseUrl: env('KC_BASE_URL'),
      clientId: env('KC_CLIENT_ID'),
      apiKey: env('KC_API_KEY'),
    });
    const barcode = env('KC_BARCODE');
    assert.equal(
      await ops.tokenExchange(env('KC_BASE_URL'), env('KC_CLIENT_ID'), env('KC_API_KEY')),
      Number(env('KC_ACCESS_TOKEN_TTL_SEC')),
    );
    assert.equal(await ops.health(kc), 'ok');
    const doc = await ops.openApi(kc);
    assert.match(doc.openapi, /^3\./);
    assert.ok(doc.paths['/api/v1/products/{barcode}']);
    const session = new KosherCatalog({
      baseUrl: env('KC_BASE_URL'),
      clientId: env('KC_CLIENT_ID'),
      apiKey: env('KC_API_KEY'),
    });
    assert.equal(await ops.revokeTokens(session), false); // nothing kept yet
    await session.exchangeToken();
    assert.equal(await ops.refreshTokens(session), Number(env('KC_ACCESS_TOKEN_TTL_SEC')));
    assert.equal((await session.balance()).status, 200); // with the refreshed pair
    assert.equal(await ops.revokeTokens(session), true);
    const product = await ops.getProduct(kc, barcode);
    assert.equal(product.barcode, barcode);
    assert.deepEqual(await ops.headProduct(kc, barcode), { exists: true, variants: ['front', 'back'] });
    const rows = await ops.bulkCheck(kc, env('KC_BARCODES').split(','));
    assert.ok(rows.every((r) => r.exists));
    assert.ok((await ops.listProducts(kc)).includes(barcode));
    assert.equal(typeof (await ops.balance(kc)), 'number');
    const me = await ops.account(kc);
    assert.equal(me.client.client_id, env('KC_CLIENT_ID'));
    assert.equal(me.client.mode, 'live');
    assert.equal((await ops.pricing(kc)).actions['products.get'], 0.5);
    const report = await ops.usage(kc);
    assert.deepEqual(report.group_by, ['action', 'day']);
    assert.ok(report.rows.some((r) => r.action === 'products.get'));

    const sinkPath = `/typescript-examples/${Date.now()}`;
    const hook = await ops.createWebhook(kc, env('KC_WEBHOOK_SINK') + sinkPath);
    assert.match(hook.secret, /^whsec_/);
    assert.ok((await ops.listWebhooks(kc)).some((h) => h.id === hook.id && h.enabled));
    const got = await ops.getWebhook(kc, hook.id);
    assert.equal(got.id, hook.id);
    assert.equal(got.url, env('KC_WEBHOOK_SINK') + sinkPath);
    assert.equal(got.enabled, true);
    const updated = await ops.updateWebhook(kc, hook.id);
    assert.deepEqual(updated.events, ['product.created', 'product.updated']);
    assert.equal(await ops.verifyWebhookEndpoint(kc, hook.id), 'verified');
    const ping = await ops.pingWebhook(kc, hook.id);
    assert.equal(ping.status, 'delivered');
    assert.equal(ping.last_status_code, 200);
    await waitFor(async () => (await received(sinkPath)).length > 0, 10_000, 'the test ping');
    const log = await ops.webhookDeliveries(kc, hook.id);
    assert.ok(log.some((d) => d.event === 'webhook.test' && d.status === 'delivered'));
    const replay = await ops.replayWebhook(kc, hook.id, new Date(Date.now() - 60_000).toISOString());
    assert.equal(typeof replay.queued, 'number');
    assert.equal(replay.next_since, null);
    await ops.deleteWebhook(kc, hook.id);
    assert.ok(!(await ops.listWebhooks(kc)).some((h) => h.id === hook.id));

    const dir = await mkdtemp(path.join(os.tmpdir(), 'kc-example-'));
    try {
      const file = path.join(dir, 'front.jpg');
      const url = product.images?.front;
      assert.ok(url);
      const got = await ops.downloadImage(kc, url, file);
      assert.equal(got.contentType, 'image/jpeg');
      assert.equal((await stat(file)).size, got.size);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('quickstart.mjs runs, and the README shows it as it is', async () => {
    const readme = await readFile(path.join(here, '../README.md'), 'utf8');
    const source = await readFile(path.join(here, '../examples/quickstart.mjs'), 'utf8');
    const shown = /## Quick start[\s\S]*?```js\n([\s\S]*?)```/.exec(readme)?.[1];
    // The file's first two lines are its own comment (how to run it); the rest is what the README shows.
    assert.equal(shown, source.split('\n').slice(2).join('\n'));

    // The example imports the package by name, as a user's code does; the package resolves itself by name.
    const { stdout } = await promisify(execFile)(process.execPath, [path.join(here, '../examples/quickstart.mjs')], {
      env: { ...process.env },
      timeout: 30_000,
    });
    assert.match(stdout, /Cheerios — Cheerios Original/);
    assert.match(stdout, /charged 1\.3 credits/);
    assert.match(stdout, /\d+ products in the catalog/);
  });
});
