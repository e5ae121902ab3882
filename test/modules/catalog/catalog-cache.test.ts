// The per-node catalog cache must never serve a change late by more than a poll or two: a metadata change
// made through one node, and an image added by a plain SQL write, are both visible on another node that had
// the product cached.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toGtin14 } from '../../../src/modules/catalog/gtin.ts';
import type { TestApp } from '../../helpers/app.ts';
import { call } from '../../helpers/http.ts';
import { type Deployment, startNodes } from '../../helpers/nodes.ts';
import { barcode as freshBarcode, type SignedInClient, seed } from '../../helpers/testkit.ts';

let deployment: Deployment<TestApp>;
let a: TestApp;
let b: TestApp;
let client: SignedInClient;
beforeAll(async () => {
  deployment = await startNodes(2);
  [a, b] = deployment.nodes;
  client = await seed(a).client({ credits: 100 });
});
afterAll(async () => {
  await deployment?.close();
});

async function eventually<T>(
  read: () => Promise<T>,
  ok: (v: T) => boolean,
  ms = 5000,
): Promise<{ value: T; ms: number }> {
  const t0 = Date.now();
  let value = await read();
  while (!ok(value) && Date.now() - t0 < ms) {
    await new Promise((r) => setTimeout(r, 100));
    value = await read();
  }
  return { value, ms: Date.now() - t0 };
}

describe('catalog cache', () => {
  it('serves a metadata change made through another node within seconds', async () => {
    const p = await seed(a).product({ meta: 'full', imageRows: ['front'] });
    const read = () => call(b.url, `/api/v1/products/${p.barcode}?include=product_meta`, { token: client.accessToken });
    expect((await read()).body.product_meta.product_name).toBe(p.product_name); // now cached on b
    const put = await call(a.url, `/admin/v1/products/${p.barcode}`, {
      method: 'PUT',
      token: a.adminToken,
      body: { ...p, product_name: 'Renamed Crackers' },
    });
    expect(put.status).toBe(200);
    const seen = await eventually(read, (r) => r.body.product_meta.product_name === 'Renamed Crackers');
    expect(seen.value.body.product_meta.product_name).toBe('Renamed Crackers');
    expect(seen.ms).toBeLessThan(5000);
  });

  it('serves an image added by any writer (the trigger moves updated_at)', async () => {
    const p = await seed(a).product({ meta: 'full', imageRows: ['front'] });
    const read = () => call(b.url, `/api/v1/products/${p.barcode}?include=image_meta`, { token: client.accessToken });
    expect(Object.keys((await read()).body.image_meta)).toEqual(['front']);
    // A bare INSERT, as an import script might write it: only the trigger can tell the caches.
    await a.db
      .sql`insert into product_images (gtin14, variant, format, content_type, width, height, file_size_bytes, sha256, blob_key)
      values (${toGtin14(p.barcode)}, 'back', 'jpeg', 'image/jpeg', 1000, 1000, 1234, ${'ab'.repeat(32)}, 'test-blob')`;
    const seen = await eventually(read, (r) => Object.keys(r.body.image_meta).length === 2);
    expect(Object.keys(seen.value.body.image_meta).sort()).toEqual(['back', 'front']);
  });

  it('serves a product that was absent when first asked for, once it exists', async () => {
    const barcode = freshBarcode(12);
    const read = () => call(b.url, `/api/v1/products/${barcode}?include=product_meta`, { token: client.accessToken });
    expect((await read()).status).toBe(404);
    await seed(a).product({ meta: 'full', barcode });
    const seen = await eventually(read, (r) => r.status === 200);
    expect(seen.value.status).toBe(200);
  });
});
