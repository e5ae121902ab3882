// Product data and images from the operator console (docs/console.md#operators): operatorSaveProduct and
// operatorUploadImage on /admin/graphql run the admin API's upsert and upload (same checks, same limits:
// docs/limits.md), the product reads back through the public API, every action is in the audit log, and an
// oversized image (bytes or pixels) is refused with a clear message before anything is stored. The webhook
// delivery health counts what the product events really did (delivered, then retrying while the endpoint is down).
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { call } from '../../helpers/http.ts';
import { type OperatorSession, oversizedPng, signedInOperator } from '../../helpers/operator.ts';
import { barcode, seed } from '../../helpers/testkit.ts';
import { type Receiver, startReceiver } from '../../helpers/webhook-receiver.ts';

let app: TestApp;
let op: OperatorSession;
let rcv: Receiver;
beforeAll(async () => {
  app = await startTestApp({ env: { WEBHOOKS_POLL_MS: '100' } });
  op = await signedInOperator(app.url, app.env);
  rcv = await startReceiver();
});
afterAll(async () => {
  await app?.close();
  await rcv?.close();
});

const SAVE = `mutation($b: String!, $i: OperatorProductInput!) {
  operatorSaveProduct(barcode: $b, input: $i) { barcode gtin14 outcome }
}`;
const UPLOAD = `mutation($b: String!, $v: String!, $t: String!, $d: String!) {
  operatorUploadImage(barcode: $b, variant: $v, contentType: $t, imageBase64: $d) { variant format width height fileSizeBytes sha256 changed }
}`;
const PRODUCT = `query($b: String!) { operatorProduct(barcode: $b) { barcode brand productName netWeight images { variant width height format } } }`;

const input = {
  brand: 'Operator Foods',
  productName: 'Sesame crackers',
  ownership: 'Operator Foods Ltd',
  netWeight: '200 g',
  bracha: 'mezonos',
  kosherForPassover: true,
  hechshers: [{ symbol: 'OU', org: 'Orthodox Union', dairyMeatPareve: 'pareve', passover: true }],
  ingredients: 'Wheat flour, sesame, salt',
  allergens: ['wheat', 'sesame'],
  nutrition: { servingSize: '30 g', calories: 130, totalFatG: 4.5, sodiumMg: 210, vitaminDMcg: 0 },
};

describe('product data and images from the operator console', () => {
  it('creates then updates a product; the public API reads every field; the audit log names the operator', async () => {
    const b = barcode();
    expect((await op.ok(SAVE, { b, i: input })).operatorSaveProduct).toMatchObject({ barcode: b, outcome: 'inserted' });
    expect((await op.ok(SAVE, { b, i: input })).operatorSaveProduct.outcome).toBe('unchanged');
    const renamed = { ...input, productName: 'Sesame crackers, salted' };
    expect((await op.ok(SAVE, { b, i: renamed })).operatorSaveProduct.outcome).toBe('updated');

    const c = await seed(app).client({ credits: 10 });
    const read = await call(app.url, `/api/v1/products/${b}`, { token: c.accessToken });
    expect(read.status).toBe(200);
    const meta = (read.body as any).product_meta;
    expect(meta).toMatchObject({
      brand: 'Operator Foods',
      product_name: 'Sesame crackers, salted',
      net_weight: '200 g',
      bracha: 'mezonos',
      kosher_for_passover: true,
      ingredients: 'Wheat flour, sesame, salt',
      allergens: ['wheat', 'sesame'],
      hechshers: [
        {
          symbol: 'OU',
          org: 'Orthodox Union',
          dairy_meat_pareve: 'pareve',
          dairy_equipment: false,
          passover: true,
          qualifiers: [],
        },
      ],
    });
    expect(meta.nutrition_facts).toMatchObject({
      serving_size: '30 g',
      calories: 130,
      total_fat_g: 4.5,
      sodium_mg: 210,
    });

    // The form reads the whole product back, in the shape it sends.
    const form = (
      await op.ok(
        `query($b: String!) { operatorProduct(barcode: $b) { ownership bracha kosherForPassover ingredients allergens
          hechshers { symbol org dairyMeatPareve dairyEquipment passover qualifiers }
          nutrition { servingSize servingsPerContainer calories totalFatG sodiumMg vitaminDMcg proteinG } } }`,
        { b },
      )
    ).operatorProduct;
    expect(form).toEqual({
      ownership: 'Operator Foods Ltd',
      bracha: 'mezonos',
      kosherForPassover: true,
      ingredients: 'Wheat flour, sesame, salt',
      allergens: ['wheat', 'sesame'],
      hechshers: [
        {
          symbol: 'OU',
          org: 'Orthodox Union',
          dairyMeatPareve: 'pareve',
          dairyEquipment: false,
          passover: true,
          qualifiers: [],
        },
      ],
      nutrition: {
        servingSize: '30 g',
        servingsPerContainer: null,
        calories: 130,
        totalFatG: 4.5,
        sodiumMg: 210,
        vitaminDMcg: 0,
        proteinG: null,
      },
    });

    const audit = await app.db.sql<{ action: string; actor: string; target: string; details: any }[]>`
      select action, actor, target, details from console_audit where target = ${b} order by audit_id`;
    expect(audit.map((a) => [a.action, a.actor, a.details.outcome])).toEqual([
      ['product.upsert', op.email, 'inserted'],
      ['product.upsert', op.email, 'unchanged'],
      ['product.upsert', op.email, 'updated'],
    ]);
  });

  it('refuses what the admin API refuses, with the field named, and without a session or CSRF token', async () => {
    const b = barcode();
    const bad = await op.error(SAVE, { b, i: { ...input, bracha: 'borei' } });
    expect(bad.code).toBe('BAD_REQUEST');
    expect(bad.message).toContain('bracha');
    expect((await op.error(SAVE, { b: '12345', i: input })).code).toBe('INVALID_BARCODE');
    const long = await op.error(SAVE, { b, i: { ...input, allergens: Array.from({ length: 51 }, (_, i) => `a${i}`) } });
    expect(long.message).toContain('allergens');
    const noCsrf = Object.assign(Object.create(Object.getPrototypeOf(op)), { ...op, csrf: '' });
    expect((await noCsrf.error(SAVE, { b, i: input })).code).toBe('FORBIDDEN');
    const anonymous = Object.assign(Object.create(Object.getPrototypeOf(op)), { ...op, cookie: '', csrf: '' });
    expect((await anonymous.error(SAVE, { b, i: input })).code).toBe('UNAUTHENTICATED');
    expect((await op.ok(PRODUCT, { b })).operatorProduct).toBeNull();
  });

  it('uploads a PNG (listed on the product, audited), and refuses an oversized one by pixels or by bytes', async () => {
    const b = barcode();
    await op.ok(SAVE, { b, i: input });
    const png = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#3a7' } })
      .png()
      .toBuffer();
    const up = (await op.ok(UPLOAD, { b, v: 'front', t: 'image/png', d: png.toString('base64') })).operatorUploadImage;
    expect(up).toMatchObject({ variant: 'front', format: 'jpeg', width: 64, height: 48, changed: true });
    const again = await op.ok(UPLOAD, {
      b,
      v: 'front',
      t: 'image/png',
      d: `data:image/png;base64,${png.toString('base64')}`,
    });
    expect(again.operatorUploadImage.changed).toBe(false);
    expect((await op.ok(PRODUCT, { b })).operatorProduct).toEqual({
      barcode: b,
      brand: 'Operator Foods',
      productName: 'Sesame crackers',
      netWeight: '200 g',
      images: [{ variant: 'front', width: 64, height: 48, format: 'jpeg' }],
    });
    const audit = await app.db.sql<{ action: string; actor: string }[]>`
      select action, actor from console_audit where target = ${`${b}/front`} order by audit_id`;
    expect(audit).toEqual([
      { action: 'image.upload', actor: op.email },
      { action: 'image.upload', actor: op.email },
    ]);

    // A PNG whose header says 8000 × 7000 = 56 megapixels: refused by the pixel limit, nothing stored.
    const huge = oversizedPng(png);
    const px = await op.error(UPLOAD, { b, v: 'back', t: 'image/png', d: huge.toString('base64') });
    expect(px.code).toBe('UNPROCESSABLE_IMAGE');
    expect(px.message).toBe('The image has 8000x7000 pixels; at most 50000000 are accepted.');
    // More than 25 MiB of bytes: refused before it is decoded (the door's body limit leaves room for it).
    const big = await op.error(UPLOAD, { b, v: 'back', t: 'image/png', d: 'A'.repeat(25 * 1024 * 1024 * 1.34) });
    expect(big.code).toBe('PAYLOAD_TOO_LARGE');
    expect(big.message).toBe('The image is larger than 25 MiB.');
    // The large body is for a signed-in operator only: without the session the door keeps the 1 MiB JSON limit.
    const anonymous = await fetch(`${app.url}/admin/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({
        query: UPLOAD,
        variables: { b, v: 'back', t: 'image/png', d: 'A'.repeat(2 * 1024 * 1024) },
      }),
    });
    expect(anonymous.status).toBe(413);
    expect((await anonymous.json()).error).toBe('payload_too_large');
    const wrongType = await op.error(UPLOAD, { b, v: 'back', t: 'image/jpeg', d: png.toString('base64') });
    expect(wrongType.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    expect((await op.error(UPLOAD, { b, v: 'side', t: 'image/png', d: png.toString('base64') })).code).toBe(
      'BAD_REQUEST',
    );
    expect((await op.ok(PRODUCT, { b })).operatorProduct.images).toHaveLength(1);
  });

  it('webhook delivery health counts the deliveries of a saved product, and a retrying one while the endpoint fails', async () => {
    const HEALTH = '{ operatorWebhookHealth { queued retrying delivered failed retries oldestDueSeconds } }';
    const health = async () => (await op.ok(HEALTH)).operatorWebhookHealth;
    const c = await seed(app).client({ credits: 1 });
    await c.webhook({ url: rcv.url, events: ['product.created'] });
    const h0 = await health();
    expect(h0).toEqual({
      queued: expect.any(Number),
      retrying: expect.any(Number),
      delivered: expect.any(Number),
      failed: expect.any(Number),
      retries: expect.any(Number),
      oldestDueSeconds: h0.oldestDueSeconds === null ? null : expect.any(Number),
    });
    const about = (b: string) => (r: Receiver) => r.accepted().some((x) => JSON.stringify(x.body).includes(b));
    const b1 = barcode();
    await op.ok(SAVE, { b: b1, i: input });
    await rcv.waitFor(about(b1), 20_000);
    await expect.poll(async () => (await health()).delivered, { timeout: 10_000 }).toBeGreaterThan(h0.delivered);

    rcv.status = 503;
    const b2 = barcode();
    await op.ok(SAVE, { b: b2, i: input });
    await rcv.waitFor((r) => r.received.some((x) => x.answered === 503 && JSON.stringify(x.body).includes(b2)), 20_000);
    await expect.poll(async () => (await health()).retrying, { timeout: 10_000 }).toBeGreaterThan(h0.retrying);
    const h2 = await health();
    expect(h2.queued).toBeGreaterThanOrEqual(h2.retrying);
    rcv.status = 200;
  }, 60_000);
});
