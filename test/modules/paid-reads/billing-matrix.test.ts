// The billing matrix of GET /api/v1/products/{barcode} (docs/billing.md#the-default-include): every include × variants combination
// (and omitted params) on products with 0, 1, 2 and 4 variants; the charge in meta, headers, balance and
// ledger; and errors that charge nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VARIANTS, type Variant } from '../../../src/modules/catalog/product.types.ts';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { call } from '../../helpers/http.ts';
import { balanceUnits, credits, ledgerRows } from '../../helpers/ledger.ts';
import { barcode, type SignedInClient, seed } from '../../helpers/testkit.ts';

const SCOPES = ['product_meta', 'image_meta', 'images'] as const;
const subsets = <T>(xs: readonly T[]): T[][] =>
  xs.reduce<T[][]>((acc, x) => acc.concat(acc.map((s) => [...s, x])), [[]]).filter((s) => s.length);
const INCLUDES: (string[] | null)[] = [null, ...subsets(SCOPES)];
const VARIANT_SETS: (Variant[] | null)[] = [null, ...subsets(VARIANTS)];
const PRODUCT_VARIANTS: Variant[][] = [[], ['front'], ['front', 'back_clean'], [...VARIANTS]];

let app: TestApp;
let client: SignedInClient;
const products: { barcode: string; variants: Variant[] }[] = [];

beforeAll(async () => {
  app = await startTestApp();
  client = await seed(app).client({ credits: 100_000, tier: 'enterprise' });
  for (const vs of PRODUCT_VARIANTS)
    products.push({ barcode: (await seed(app).product({ meta: 'full', imageRows: vs })).barcode, variants: vs });
});
afterAll(async () => {
  await app?.close();
});

/** The contract's rule, written independently of the implementation. */
function expected(include: string[] | null, variants: Variant[] | null, has: Variant[]) {
  // Omitted include = all three scopes (so `variants` alone still bills both metadata scopes: the landmine);
  // an explicit include is obeyed exactly.
  const scopes = new Set(include ?? SCOPES);
  const shown = (variants ?? VARIANTS).filter((v) => has.includes(v));
  if (scopes.size === 1 && scopes.has('images') && shown.length === 0) return { status: 404, scopes, shown, units: 0 };
  const units =
    5000 * ((scopes.has('product_meta') ? 1 : 0) + (scopes.has('image_meta') ? 1 : 0)) +
    8000 * (scopes.has('images') ? shown.length : 0);
  return { status: 200, scopes, shown, units };
}

describe('GET /api/v1/products/{barcode} billing matrix', () => {
  it('charges exactly what is returned, for every include × variants × product', async () => {
    let cases = 0;
    // One account per product, so the four products run concurrently and each balance is still sequential.
    await Promise.all(
      products.map(async (p) => {
        const client = await seed(app).client({ credits: 10_000, tier: 'enterprise' });
        let balance = await balanceUnits(app.db.sql, client.accountId);
        for (const include of INCLUDES) {
          for (const variants of VARIANT_SETS) {
            const qs = new URLSearchParams();
            if (include) qs.set('include', include.join(','));
            if (variants) qs.set('variants', variants.join(','));
            const res = await call(app.url, `/api/v1/products/${p.barcode}?${qs}`, { token: client.accessToken });
            const exp = expected(include, variants, p.variants);
            const label = `${p.variants.length} variants, include=${include}, variants=${variants}`;
            expect(res.status, label).toBe(exp.status);
            const requestId = res.headers.get('x-request-id')!;
            expect(requestId).toMatch(/^req_[0-9A-Z]{26}$/);
            expect(res.headers.get('x-credits-debited'), label).toBe(String(credits(exp.units)));
            balance -= BigInt(exp.units);
            expect(res.headers.get('x-credits-remaining'), label).toBe(String(credits(balance)));
            const rows = await ledgerRows(app.db.sql, requestId);
            if (exp.status === 404) {
              expect(res.body).toEqual({
                error: 'variant_not_available',
                message: expect.any(String),
                request_id: requestId,
              });
              expect(rows).toHaveLength(0);
              continue;
            }
            expect(res.headers.get('cache-control')).toBe('private, max-age=900');
            expect(res.body.meta).toEqual({
              request_id: requestId,
              credits_debited: credits(exp.units),
              credits_remaining: credits(balance),
            });
            expect(Object.keys(res.body).sort(), label).toEqual(['barcode', 'meta', ...exp.scopes].sort());
            expect(res.body.barcode).toBe(p.barcode);
            if (exp.scopes.has('images')) {
              expect(Object.keys(res.body.images).sort(), label).toEqual([...exp.shown].sort());
              for (const url of Object.values(res.body.images))
                expect(url).toMatch(new RegExp(`^${app.url}/api/v1/image/\\S+$`));
            }
            if (exp.scopes.has('image_meta'))
              expect(Object.keys(res.body.image_meta).sort(), label).toEqual([...exp.shown].sort());
            if (exp.units === 0) {
              expect(rows, label).toHaveLength(0);
            } else {
              expect(rows, label).toHaveLength(1);
              expect(rows[0]).toMatchObject({
                kind: 'debit',
                amount: BigInt(-exp.units),
                balance_after: balance,
                client_id: client.clientId,
              });
              expect(rows[0].lines.reduce((s, l) => s + l.amount, 0)).toBe(exp.units);
            }
            cases++;
          }
        }
        expect(await balanceUnits(app.db.sql, client.accountId)).toBe(balance);
      }),
    );
    expect(cases).toBeGreaterThan(400);
  }, 120_000);

  it('renders product_meta with every key, nulls for absent values', async () => {
    const sparse = await seed(app).product({
      meta: 'full',
      imageRows: ['front'],
      nutrition_facts: null,
      bracha: null,
      category: null,
      hechshers: [],
    });
    const res = await call(app.url, `/api/v1/products/${sparse.barcode}?include=product_meta,image_meta`, {
      token: client.accessToken,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(Object.keys(res.body.product_meta).sort()).toEqual([
      'allergens',
      'bracha',
      'brand',
      'category',
      'hechshers',
      'ingredients',
      'kosher_for_passover',
      'net_weight',
      'nutrition_facts',
      'ownership',
      'product_description',
      'product_name',
      'updated_at',
    ]);
    expect(res.body.product_meta.nutrition_facts).toBeNull();
    expect(res.body.product_meta.bracha).toBeNull();
    expect(res.body.image_meta.front).toMatchObject({
      resolution: '1000x1000',
      width: 1000,
      height: 1000,
      format: 'jpeg',
      content_type: 'image/jpeg',
      file_size_bytes: 1234,
      ownership: sparse.ownership,
      photo_date: null,
      source_batch: null,
    });
    const full = await call(app.url, `/api/v1/products/${products[3].barcode}?include=product_meta`, {
      token: client.accessToken,
    });
    expect(full.body.product_meta.ingredients).toBe('קמח, water');
    expect(full.body.product_meta.hechshers[0]).toEqual({
      symbol: 'OU-D',
      org: 'Test Org',
      dairy_meat_pareve: 'dairy',
      dairy_equipment: false,
      passover: false,
      qualifiers: ['chalav_yisrael'],
    });
    expect(full.body.product_meta.nutrition_facts).toMatchObject({
      calories: 140,
      total_fat_g: 7.5,
      vitamin_d_mcg: null,
      potassium_mg: 50,
    });
  });

  it('finds a product by any zero-padded form and answers with the catalog form', async () => {
    const p = await seed(app).product({ meta: 'full', barcode: barcode(12) });
    for (const form of [p.barcode, `0${p.barcode}`, `00${p.barcode}`]) {
      const res = await call(app.url, `/api/v1/products/${form}?include=product_meta`, { token: client.accessToken });
      expect(res.status).toBe(200);
      expect(res.body.barcode).toBe(p.barcode);
    }
  });
});

describe('errors charge nothing', () => {
  async function expectNoCharge(
    path: string,
    token: string,
    status: number,
    error: string,
    accountId: string,
    method = 'GET',
  ) {
    const before = await balanceUnits(app.db.sql, accountId);
    const res = await call(app.url, path, { token, method });
    expect(res.status).toBe(status);
    if (method !== 'HEAD')
      expect(res.body).toEqual({ error, message: expect.any(String), request_id: res.headers.get('x-request-id') });
    expect(res.headers.get('x-credits-debited')).toBe('0');
    expect(res.headers.get('x-credits-remaining')).toBe(String(credits(before)));
    expect(await balanceUnits(app.db.sql, accountId)).toBe(before);
    expect(await ledgerRows(app.db.sql, res.headers.get('x-request-id')!)).toHaveLength(0);
    return res;
  }

  it('404 not_found, 400 invalid_barcode (format / check digit), 400 bad_request naming the value', async () => {
    const t = client.accessToken;
    await expectNoCharge(`/api/v1/products/${barcode(13)}`, t, 404, 'not_found', client.accountId);
    const fmt = await expectNoCharge('/api/v1/products/12345', t, 400, 'invalid_barcode', client.accountId);
    expect(fmt.body.message).toMatch(/digits/);
    const good = products[3].barcode;
    const wrong = good.slice(0, -1) + String((Number(good.at(-1)) + 1) % 10);
    const cd = await expectNoCharge(`/api/v1/products/${wrong}`, t, 400, 'invalid_barcode', client.accountId);
    expect(cd.body.message).toMatch(/check digit/);
    for (const [q, bad] of [
      ['include=product_meta,price', 'price'],
      ['variants=side', 'side'],
      ['image_size=huge', 'huge'],
      ['image_format=gif', 'gif'],
    ]) {
      const r = await expectNoCharge(`/api/v1/products/${good}?${q}`, t, 400, 'bad_request', client.accountId);
      expect(r.body.message).toContain(`"${bad}"`);
    }
    await expectNoCharge(`/api/v1/products/${barcode(13)}`, t, 404, 'not_found', client.accountId, 'HEAD');
  });

  it('402 insufficient_credits returns and charges nothing', async () => {
    const poor = await seed(app).client({ credits: '1.2', tier: 'enterprise' });
    // 0.5 + 0.5 + 4 × 0.8 = 4.2 > 1.2
    await expectNoCharge(
      `/api/v1/products/${products[3].barcode}`,
      poor.accessToken,
      402,
      'insufficient_credits',
      poor.accountId,
    );
    const ok = await call(app.url, `/api/v1/products/${products[3].barcode}?include=product_meta,image_meta`, {
      token: poor.accessToken,
    });
    expect(ok.status).toBe(200);
    expect(ok.body.meta.credits_remaining).toBe(0.2);
  });

  it('403 out_of_scope for a client scoped to other brands', async () => {
    const scoped = await seed(app).client({ credits: 10, tier: 'enterprise', scope: { brands: ['Nobody Brand'] } });
    await expectNoCharge(
      `/api/v1/products/${products[1].barcode}`,
      scoped.accessToken,
      403,
      'out_of_scope',
      scoped.accountId,
    );
  });
});

describe('HEAD /api/v1/products/{barcode}', () => {
  it('bills products.head and lists the available variants', async () => {
    const before = await balanceUnits(app.db.sql, client.accountId);
    const res = await fetch(`${app.url}/api/v1/products/${products[2].barcode}`, {
      method: 'HEAD',
      headers: { authorization: `Bearer ${client.accessToken}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-available-variants')).toBe('front,back_clean');
    expect(res.headers.get('x-credits-debited')).toBe('0.05');
    expect(await balanceUnits(app.db.sql, client.accountId)).toBe(before - 500n);
    const rows = await ledgerRows(app.db.sql, res.headers.get('x-request-id')!);
    expect(rows[0].lines).toEqual([
      expect.objectContaining({ action: 'products.head', barcode: products[2].barcode, amount: 500 }),
    ]);
  });
});
