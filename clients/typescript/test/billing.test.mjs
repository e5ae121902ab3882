// Billed calls (CONTRACT §3, §13): the bill on every answer; an Idempotency-Key on every billed call, kept across
// retries, so an answer lost after the debit committed is fetched again without a second charge; bulk-check in
// chunks of 500 with the rows in input order; GraphQL under a key; the one-shot image download.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { newIdempotencyKey } from '../src/index.js';
import {
  directBalance,
  dropNextAnswer,
  env,
  failNextAnswer,
  proxyStats,
  recordingClient,
  withCheckDigit,
} from './helpers.mjs';

const BARCODE = env('KC_BARCODE');
/** Credits are exact to 0.0001: compare differences in whole units. */
const units = (credits) => Math.round(credits * 10_000);

describe('billed calls', () => {
  it('surfaces the bill of a read: credits debited and remaining, request id, test mode', async () => {
    const { kc } = recordingClient();
    const res = await kc.getProduct(BARCODE, { include: ['product_meta'] });
    assert.equal(res.data.barcode, BARCODE);
    assert.equal(res.data.product_meta?.brand, 'Cheerios');
    assert.equal(res.bill.creditsDebited, 0.5);
    assert.equal(res.bill.creditsRemaining, await directBalance());
    assert.match(res.bill.requestId ?? '', /^req_/);
    assert.equal(res.bill.testMode, false);
    assert.equal(res.bill.replayed, false);
    assert.equal(res.headers.get('x-credits-debited'), '0.5');
    assert.equal(res.rateLimit?.minute.limit, 60);
  });

  it('retries a read whose answer was lost after the debit under the same key: data returned, charged once', async () => {
    const { kc, sent, retries } = recordingClient();
    await kc.exchangeToken();
    const before = await directBalance();
    const { dropped } = await proxyStats();
    await dropNextAnswer('/api/v1/products/');
    const res = await kc.getProduct(BARCODE);
    assert.equal(res.data.barcode, BARCODE);
    assert.ok(res.data.images?.front && res.data.images?.back, 'the images of the default include');
    // The answer comes from the committed charge: replayed, with the first attempt's bill.
    assert.equal(res.bill.replayed, true);
    assert.equal(res.bill.creditsDebited, 2.6);
    assert.equal((await proxyStats()).dropped, dropped + 1);
    assert.deepEqual(
      sent.filter((s) => s.includes('/products/')),
      [`GET /api/v1/products/${BARCODE} failed`, `GET /api/v1/products/${BARCODE} 200`],
    );
    assert.deepEqual(
      retries.map((r) => r.reason),
      ['network_error'],
    );
    assert.equal(units(before) - units(await directBalance()), units(2.6));
  });

  it('retries a bulk check whose answer a gateway replaced with a 502 after the debit: charged once', async () => {
    const { kc, retries } = recordingClient();
    await kc.exchangeToken();
    const barcodes = env('KC_BARCODES').split(',');
    const before = await directBalance();
    await failNextAnswer('/api/v1/products/bulk-check', 502);
    const res = await kc.bulkCheck(barcodes);
    assert.ok(res.data.results.every((r) => r.exists));
    assert.equal(res.bill.replayed, true);
    assert.deepEqual(
      retries.map((r) => [r.reason, r.status]),
      [['bad_gateway', 502]],
    );
    assert.equal(units(before) - units(await directBalance()), units(0.01) * barcodes.length);
  });

  it('repeating a call with an explicit Idempotency-Key is answered from the first charge', async () => {
    const { kc } = recordingClient();
    const key = newIdempotencyKey();
    assert.ok(key.length >= 20 && key.length <= 255);
    const before = await directBalance();
    const a = await kc.getProduct(BARCODE, { include: ['product_meta'], idempotencyKey: key });
    const b = await kc.getProduct(BARCODE, { include: ['product_meta'], idempotencyKey: key });
    assert.equal(a.bill.replayed, false);
    assert.equal(b.bill.replayed, true);
    assert.equal(b.bill.requestId, a.bill.requestId);
    assert.equal(units(before) - units(await directBalance()), units(0.5));
  });

  it('HEAD: exists with its variants, or not', async () => {
    const { kc } = recordingClient();
    const yes = await kc.headProduct(BARCODE);
    assert.deepEqual(yes.data, { exists: true, variants: ['front', 'back'] });
    assert.equal(yes.bill.creditsDebited, 0.05);
    const no = await kc.headProduct(withCheckDigit('400000000001'));
    assert.deepEqual(no.data, { exists: false, variants: [] });
    assert.equal(no.bill.creditsDebited, 0);
  });

  it('bulk-checks 503 barcodes in two chunks of its own key each, rows in input order', async () => {
    const { kc, sent } = recordingClient();
    const seeded = env('KC_BARCODES').split(',');
    const input = [];
    for (let i = 0; input.length < 503; i++) {
      if (i % 100 === 0 && seeded.length) input.push(/** @type {string} */ (seeded.shift()));
      else input.push(withCheckDigit(`20${String(i).padStart(10, '0')}`));
    }
    input[250] = '123'; // invalid: reported in its row, not billed
    input[501] = env('KC_BARCODE');
    const before = await directBalance();
    const res = await kc.bulkCheck(input);
    assert.equal(res.chunks.length, 2);
    assert.equal(sent.filter((s) => s === 'POST /api/v1/products/bulk-check 200').length, 2);
    assert.equal(res.data.results.length, input.length);
    assert.deepEqual(
      res.data.results.map((row) => row.barcode),
      input,
    );
    assert.equal(res.data.results[250].error, 'invalid_barcode');
    assert.equal(res.data.results[501].exists, true);
    assert.deepEqual(res.data.results[501].variants, ['front', 'back']);
    for (const bc of env('KC_BARCODES').split(',')) assert.equal(res.data.results[input.indexOf(bc)].exists, true, bc);
    assert.equal(
      units(res.bill.creditsDebited),
      res.chunks.reduce((sum, c) => sum + units(c.creditsDebited), 0),
    );
    assert.equal(units(before) - units(await directBalance()), units(res.bill.creditsDebited));
    assert.equal(res.bill.creditsRemaining, await directBalance());
  });

  it('GraphQL: billed by selection, with the bill from extensions.billing', async () => {
    const { kc } = recordingClient();
    const res = await kc.graphql('query ($b: Barcode!) { product(barcode: $b) { barcode productMeta { brand } } }', {
      b: BARCODE,
    });
    assert.deepEqual(res.errors, []);
    assert.equal(/** @type {any} */ (res.data)?.product?.productMeta?.brand, 'Cheerios');
    assert.equal(res.bill.creditsDebited, 0.5);
  });

  it('test mode (a kc_test_ key): the sandbox is read, the bill reported, the live balance unchanged', async () => {
    const { kc } = recordingClient({ clientId: env('KC_TEST_CLIENT_ID'), apiKey: env('KC_TEST_API_KEY') });
    assert.equal(kc.mode, 'test');
    const before = await directBalance();
    // The sandbox has the documentation's barcode too (its first read may seed the sandbox: a few seconds).
    const res = await kc.getProduct(BARCODE, { include: ['product_meta'] });
    assert.equal(res.data.barcode, BARCODE);
    assert.equal(res.data.meta?.test_mode, true);
    assert.equal(res.headers.get('x-test-mode'), '1');
    assert.equal(res.bill.testMode, true);
    assert.equal(res.bill.creditsDebited, 0.5, 'what a live read of the same plan costs');
    assert.equal(res.bill.creditsRemaining, before, 'the real balance, unchanged');
    const gql = await kc.graphql('query ($b: Barcode!) { product(barcode: $b) { productMeta { brand } } }', {
      b: BARCODE,
    });
    assert.equal(gql.bill.testMode, true);
    assert.equal(/** @type {any} */ (gql.extensions.billing)?.testMode, true);
    assert.equal(gql.bill.creditsDebited, 0.5);
    assert.equal(await directBalance(), before);
  });

  it('downloads a signed image once to a file; the URL cannot be redeemed twice', async () => {
    const { kc } = recordingClient();
    const res = await kc.getProduct(BARCODE, { include: ['images'], variants: ['front'] });
    const url = res.data.images?.front;
    assert.ok(url);
    const dir = await mkdtemp(path.join(os.tmpdir(), 'kc-client-img-'));
    try {
      const file = path.join(dir, 'front.jpg');
      const got = await kc.downloadImage(url, { to: file });
      assert.equal(got.contentType, 'image/jpeg');
      assert.equal(got.filename, `${BARCODE}_front.jpg`);
      const bytes = await readFile(file);
      assert.equal(bytes.length, got.size);
      assert.deepEqual([...bytes.subarray(0, 2)], [0xff, 0xd8]);
      await assert.rejects(kc.downloadImage(url), (/** @type {any} */ e) => {
        assert.equal(e.code, 'signed_url_used');
        assert.equal(e.status, 410);
        return true;
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
