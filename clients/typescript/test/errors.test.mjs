// Typed errors (CONTRACT §1, §7, §13): `code` is the body's stable `error`, with message, request id and status;
// client errors are not retried and not charged; timeouts are retried a bounded number of times.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { KosherCatalogError } from '../src/index.js';
import { directBalance, env, recordingClient, withCheckDigit } from './helpers.mjs';

/** @param {unknown} e @param {string} code @param {number} status */
function isApiError(e, code, status) {
  assert.ok(e instanceof KosherCatalogError, String(e));
  assert.equal(e.code, code);
  assert.equal(e.status, status);
  assert.match(e.requestId ?? '', /^req_/);
  assert.ok(e.message.length > 0);
  return true;
}

describe('errors', () => {
  it('a bad barcode is a typed 400 invalid_barcode: not retried, not charged', async () => {
    const { kc, retries } = recordingClient();
    await kc.exchangeToken();
    const before = await directBalance();
    await assert.rejects(kc.getProduct('123'), (e) => isApiError(e, 'invalid_barcode', 400));
    // A wrong GS1 check digit is refused the same way.
    await assert.rejects(kc.getProduct('017000161564'), (e) => isApiError(e, 'invalid_barcode', 400));
    await assert.rejects(kc.getProduct(env('KC_BARCODE'), { include: /** @type {any} */ (['pictures']) }), (e) =>
      isApiError(e, 'bad_request', 400),
    );
    assert.deepEqual(retries, []);
    assert.equal(await directBalance(), before);
  });

  it('an absent product is 404 not_found', async () => {
    const { kc } = recordingClient();
    await assert.rejects(kc.getProduct(withCheckDigit('400000000002')), (e) => isApiError(e, 'not_found', 404));
  });

  it('a request that never gets an answer is retried a bounded number of times, then a typed timeout', async () => {
    const { kc, retries } = recordingClient({ timeoutMs: 1, maxRetries: 2, retryBaseMs: 10 });
    await assert.rejects(kc.balance(), (e) => {
      assert.ok(e instanceof KosherCatalogError);
      assert.equal(e.code, 'timeout');
      assert.equal(e.status, 0);
      return true;
    });
    assert.deepEqual(
      retries.map((r) => r.reason),
      ['timeout', 'timeout'],
    );
  });
});
