// PUT /admin/v1/products/{barcode}: strict validation at the edge, upsert semantics, barcode rules.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { call, type JsonResponse } from '../../helpers/http.ts';
import { adminProduct, barcode } from '../../helpers/testkit.ts';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app.close();
});

const put = (barcode: string, body: unknown, token = app.adminToken) =>
  call(app.url, `/admin/v1/products/${barcode}`, { method: 'PUT', token, body });

function expectError(res: JsonResponse, status: number, code: string, messagePart?: string) {
  expect(res.status).toBe(status);
  expect(res.body).toEqual({ error: code, message: expect.any(String), request_id: res.headers.get('x-request-id') });
  if (messagePart) expect(res.body.message).toContain(messagePart);
}

const minimal = adminProduct();
const full = {
  ...minimal,
  product_description: 'Peanut snack',
  net_weight: 'Net Wt 1 oz (28g)',
  category: 'Snacks',
  bracha: 'shehakol',
  kosher_for_passover: false,
  ingredients: 'Corn, peanuts',
  allergens: ['peanuts'],
  hechshers: [
    {
      symbol: 'OU',
      org: 'Orthodox Union',
      dairy_meat_pareve: 'pareve',
      dairy_equipment: false,
      passover: false,
      qualifiers: [],
    },
  ],
  nutrition_facts: { serving_size: '1 oz', servings_per_container: '1', calories: 150, total_fat_g: 9, sodium_mg: 95 },
};

describe('PUT /admin/v1/products/{barcode}', () => {
  it('inserts, then updates, then reports unchanged; stores exactly what was sent', async () => {
    const bc = barcode(13);
    const r1 = await put(bc, minimal);
    expect(r1.status).toBe(201);
    expect(r1.body).toEqual({ barcode: bc, gtin14: bc.padStart(14, '0'), outcome: 'inserted' });
    const r2 = await put(bc, full);
    expect(r2.status).toBe(200);
    expect(r2.body.outcome).toBe('updated');
    expect((await put(bc, full)).body.outcome).toBe('unchanged');
    const [row] = await app.db.sql<
      {
        brand: string;
        bracha: string;
        hechsher_symbols: string[];
        allergens: string[];
        nutrition_facts: Record<string, unknown>;
      }[]
    >`
      select brand, bracha, hechsher_symbols, allergens, nutrition_facts from products where gtin14 = ${bc.padStart(14, '0')}`;
    expect(row).toMatchObject({ brand: 'Osem', bracha: 'shehakol', hechsher_symbols: ['OU'], allergens: ['peanuts'] });
    expect(row.nutrition_facts).toMatchObject({ calories: 150, total_fat_g: 9, protein_g: null });
  });

  it('answers a bad barcode with 400 invalid_barcode', async () => {
    expectError(await put('12345', minimal), 400, 'invalid_barcode');
    const bc = barcode(13);
    const wrong = bc.slice(0, -1) + String((Number(bc.at(-1)) + 1) % 10);
    expectError(await put(wrong, minimal), 400, 'invalid_barcode', 'check digit');
  });

  it('validates the body strictly with 400 bad_request naming the field', async () => {
    const bc = barcode(13);
    expectError(await put(bc, { product_name: 'x', ownership: 'y' }), 400, 'bad_request', 'brand');
    expectError(await put(bc, { ...minimal, ownership: '' }), 400, 'bad_request', 'ownership');
    expectError(await put(bc, { ...minimal, bracha: 'borei' }), 400, 'bad_request', 'bracha');
    expectError(await put(bc, { ...minimal, kosher_for_passover: 'yes' }), 400, 'bad_request', 'kosher_for_passover');
    expectError(await put(bc, { ...minimal, allergens: 'peanuts' }), 400, 'bad_request', 'allergens');
    expectError(await put(bc, { ...minimal, hechshers: [{ symbol: 'OU' }] }), 400, 'bad_request', 'hechshers.0');
    expectError(
      await put(bc, { ...minimal, hechshers: [{ ...full.hechshers[0], dairy_meat_pareve: 'fish' }] }),
      400,
      'bad_request',
      'dairy_meat_pareve',
    );
    expectError(
      await put(bc, { ...minimal, nutrition_facts: { calories: '150' } }),
      400,
      'bad_request',
      'nutrition_facts.calories',
    );
    expectError(await put(bc, { ...minimal, nutrition_facts: { sugar_g: 1 } }), 400, 'bad_request', 'nutrition_facts');
    expectError(await put(bc, { ...minimal, colour: 'red' }), 400, 'bad_request');
    expectError(await put(bc, { ...minimal, barcode: barcode(13) }), 400, 'bad_request', 'barcode');
    expectError(await put(bc, [minimal]), 400, 'bad_request');
    // Nothing was written by any of them.
    const [{ n }] = await app.db.sql<
      { n: number }[]
    >`select count(*)::int as n from products where gtin14 = ${bc.padStart(14, '0')}`;
    expect(n).toBe(0);
  });

  it('requires the admin token', async () => {
    expectError(await put(barcode(13), minimal, 'nope'), 401, 'unauthenticated');
  });
});
