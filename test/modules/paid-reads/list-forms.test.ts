// The paid read must not bill a typo, nor a list form it misreads (issue 24, docs/rest.md#query-parameters):
// `include=product_meta,images&variants=front` costs 1.3 credits at default rates in the comma, repeated, PHP
// bracket, indexed and mixed forms alike; a typo or a doubled scalar is 400 with nothing charged and no ledger row;
// HEAD takes no query; and an Idempotency-Key sees the forms as one request.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { call, type JsonResponse } from '../../helpers/http.ts';
import { balanceUnits, ledgerRows } from '../../helpers/ledger.ts';
import { type SignedInClient, seed } from '../../helpers/testkit.ts';

let app: TestApp;
let c: SignedInClient;
let b: string;

beforeAll(async () => {
  app = await startTestApp();
  c = await seed(app).client({ tier: 'enterprise', credits: 100 });
  // Two images, so a dropped `variants` shows in the bill (2 URLs) as much as a dropped `include` does.
  b = (await seed(app).product({ meta: 'full', imageRows: ['front', 'back'] })).barcode;
});
afterAll(async () => {
  await app?.close();
});

const read = (q: string, headers?: Record<string, string>) =>
  call(app.url, `/api/v1/products/${b}${q}`, { token: c.accessToken, headers });

/** What the read of product_meta + the front image returns and charges, seen in body, headers and ledger. */
async function expectMetaAndFront(r: JsonResponse, where: string) {
  expect(r.status, `${where}: ${JSON.stringify(r.body)}`).toBe(200);
  expect(Object.keys(r.body).sort(), where).toEqual(['barcode', 'images', 'meta', 'product_meta']);
  expect(Object.keys(r.body.images), where).toEqual(['front']);
  expect(r.headers.get('x-credits-debited'), where).toBe('1.3');
  expect(r.body.meta.credits_debited, where).toBe(1.3);
  const rows = await ledgerRows(app.db.sql, r.headers.get('x-request-id')!);
  expect(
    rows.map((x) => x.amount),
    where,
  ).toEqual([-13_000n]);
}

describe('GET /api/v1/products/{barcode}: one set, whatever form the list comes in', () => {
  it('include=product_meta,images&variants=front bills 1.3 in the comma, repeated, bracket, indexed and mixed forms', async () => {
    for (const q of [
      '?include=product_meta,images&variants=front',
      '?include=product_meta&include=images&variants=front',
      '?include[]=product_meta&include[]=images&variants[]=front',
      '?include%5B%5D=product_meta&include%5B%5D=images&variants%5B%5D=front',
      '?include%5B0%5D=product_meta&include%5B1%5D=images&variants%5B0%5D=front',
      '?variants=front&include=product_meta&include%5B1%5D=images',
      '?include=images,product_meta&include=product_meta&variants=front,front',
    ]) {
      await expectMetaAndFront(await read(q), q);
    }
  });

  it('a typo, a name in other case, a foreign bracket key or a doubled scalar is 400; nothing is charged', async () => {
    const before = await balanceUnits(app.db.sql, c.accountId);
    const cases: [string, string, string][] = [
      ['?inlcude=product_meta', 'unknown_parameter', 'inlcude'],
      ['?include=product_meta&inlcude=images', 'unknown_parameter', 'inlcude'],
      ['?Include=product_meta', 'unknown_parameter', 'Include'],
      ['?include[x]=product_meta', 'unknown_parameter', 'include[x]'],
      ['?variant=front', 'unknown_parameter', 'variant'],
      ['?include=product_meta&image_size=small&image_size=large', 'bad_request', 'image_size'],
      ['?include=images&image_format[]=webp', 'bad_request', 'image_format'],
      ['?include=product_meta&include[]=imagez', 'bad_request', 'imagez'],
    ];
    for (const [q, code, named] of cases) {
      const r = await read(q);
      expect(r.status, q).toBe(400);
      expect(r.body, q).toEqual({
        error: code,
        message: expect.stringContaining(named),
        request_id: r.headers.get('x-request-id'),
      });
      expect(r.headers.get('x-credits-debited'), q).toBe('0');
      expect(await ledgerRows(app.db.sql, r.headers.get('x-request-id')!), q).toEqual([]);
    }
    expect(await balanceUnits(app.db.sql, c.accountId)).toBe(before);
  });

  it('HEAD takes no query parameters: 400 and nothing charged, also for the parameters GET takes', async () => {
    const before = await balanceUnits(app.db.sql, c.accountId);
    for (const q of ['?include=images', '?inlcude=images', '?x=1']) {
      const r = await call(app.url, `/api/v1/products/${b}${q}`, { method: 'HEAD', token: c.accessToken });
      expect(r.status, q).toBe(400);
      expect(r.headers.get('x-credits-debited'), q).toBe('0');
    }
    expect(await balanceUnits(app.db.sql, c.accountId)).toBe(before);
    const ok = await call(app.url, `/api/v1/products/${b}`, { method: 'HEAD', token: c.accessToken });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('x-credits-debited')).toBe('0.05');
  });

  it('under one Idempotency-Key the forms are one request: the bracket form replays the comma form, free', async () => {
    const key = `list-forms-${'k'.repeat(20)}`;
    const first = await read('?include=product_meta,images&variants=front', { 'idempotency-key': key });
    await expectMetaAndFront(first, 'first');
    for (const q of [
      '?include[0]=product_meta&include[1]=images&variants[]=front',
      '?variants=front&include=product_meta&include=images',
    ]) {
      const again = await read(q, { 'idempotency-key': key });
      expect(again.status, q).toBe(200);
      expect(again.headers.get('idempotency-replayed'), q).toBe('1');
      expect(again.headers.get('x-credits-debited'), q).toBe('0');
      expect(again.body, q).toEqual(first.body);
    }
    // Another set under the same key is another request.
    const other = await read('?include=product_meta&variants=front', { 'idempotency-key': key });
    expect(other.status).toBe(409);
    expect(other.body.error).toBe('idempotency_key_mismatch');
  });
});
