// The free listing (CONTRACT §3): the cursor iterator walks every page until next_cursor is null.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { env, recordingClient } from './helpers.mjs';

const gtin14 = (b) => b.padStart(14, '0');

describe('listing', () => {
  it('iterates the catalog across pages by cursor, every product once, in barcode order', async () => {
    const { kc, sent } = recordingClient();
    const pages = [];
    for await (const page of kc.pages({ per_page: 2 })) pages.push(page);
    const seeded = env('KC_BARCODES').split(',');
    assert.equal(pages.length, Math.ceil(seeded.length / 2));
    assert.ok(pages.every((p) => p.bill.creditsDebited === 0));
    const items = [];
    for await (const item of kc.iterateProducts({ per_page: 2 })) items.push(item.barcode);
    assert.deepEqual(
      items,
      [...seeded].sort((a, b) => gtin14(a).localeCompare(gtin14(b))),
    );
    // Each later page asked with the previous page's cursor.
    assert.ok(sent.filter((s) => s.startsWith('GET /api/v1/products ')).length >= pages.length * 2);
  });

  it('passes filters through (Hebrew text included)', async () => {
    const { kc } = recordingClient();
    const items = [];
    for await (const item of kc.iterateProducts({ brand: 'Osem אסם', per_page: 1 })) items.push(item.product_name);
    assert.deepEqual(items.sort(), ['Bamba במבה', 'Bissli ביסלי']);
  });
});
