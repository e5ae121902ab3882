// Webhooks (CONTRACT §10): subscribe the harness's sink, change a product through the admin API, and verify the
// recorded delivery with the client's verifier; tampering, a wrong secret or a missing header are refused.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { verifyWebhook, WebhookVerificationError } from '../src/index.js';
import { admin, env, received, recordingClient, waitFor } from './helpers.mjs';

const BARCODE = '96385074';

describe('webhooks', () => {
  it('a product change reaches the sink signed; verifyWebhook accepts it and refuses tampering', async () => {
    const { kc } = recordingClient();
    const sinkPath = `/typescript/${randomBytes(6).toString('hex')}`;
    const created = await kc.createWebhook({ url: env('KC_WEBHOOK_SINK') + sinkPath, events: ['product.updated'] });
    assert.equal(created.status, 201);
    const { id, secret } = created.data;
    assert.match(secret, /^whsec_/);
    try {
      const name = `Eight Digit Snack ${randomBytes(3).toString('hex')}`;
      await admin('PUT', `/admin/v1/products/${BARCODE}`, {
        brand: 'Harness',
        product_name: name,
        ownership: 'Harness Studio',
      });
      const [delivery] = await waitFor(
        async () => {
          const all = await received(sinkPath);
          const ours = all.filter((r) => r.body.includes('product.updated'));
          return ours.length ? ours : null;
        },
        10_000,
        'a product.updated delivery at the sink',
      );
      const event = verifyWebhook(secret, delivery.headers, delivery.body);
      assert.equal(event.type, 'product.updated');
      assert.equal(event.data.barcode, BARCODE);
      assert.ok(event.data.changed_fields?.includes('product_name'));
      // A Headers object and bytes work the same.
      assert.equal(
        verifyWebhook(secret, new Headers(delivery.headers), new TextEncoder().encode(delivery.body)).type,
        event.type,
      );

      const refused = (fn) =>
        assert.throws(fn, (e) => {
          assert.ok(e instanceof WebhookVerificationError);
          assert.equal(e.code, 'webhook_invalid');
          return true;
        });
      refused(() => verifyWebhook(secret, delivery.headers, delivery.body.replace(BARCODE, '017000161563')));
      refused(() => verifyWebhook(`whsec_${randomBytes(32).toString('base64')}`, delivery.headers, delivery.body));
      refused(() => verifyWebhook(secret, { ...delivery.headers, 'webhook-signature': undefined }, delivery.body));
      // A delivery replayed long after it was signed (beyond the 5-minute tolerance) is refused too.
      refused(() =>
        verifyWebhook(
          secret,
          { ...delivery.headers, 'webhook-timestamp': String(Math.floor(Date.now() / 1000) - 3600) },
          delivery.body,
        ),
      );
    } finally {
      const del = await kc.deleteWebhook(id);
      assert.equal(del.status, 204);
    }
  });
});
