// GraphQL billing (docs/graphql.md): the selection is the bill; repeats merge; absent products are free; one
// debit per operation; quotes charge nothing; errors carry extensions.code; limits hold.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planWalks } from '../../../src/modules/paid-reads/selection-plan.ts';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { call } from '../../helpers/http.ts';
import { balanceUnits, credits, ledgerRows } from '../../helpers/ledger.ts';
import { barcode, type SignedInClient, seed } from '../../helpers/testkit.ts';

let app: TestApp;
let client: SignedInClient;
let four: string;
let none: string;

const gql = (
  query: string,
  variables?: Record<string, unknown>,
  opts: { token?: string; headers?: Record<string, string> } = {},
) =>
  call(app.url, '/graphql', {
    body: { query, variables },
    token: 'token' in opts ? opts.token : client.accessToken,
    headers: opts.headers,
  });

beforeAll(async () => {
  app = await startTestApp();
  client = await seed(app).client({ credits: 1000, tier: 'enterprise' });
  four = (await seed(app).product({ meta: 'full', imageRows: ['front', 'back', 'front_clean', 'back_clean'] })).barcode;
  none = (await seed(app).product({ meta: 'full' })).barcode;
});
afterAll(async () => {
  await app?.close();
});

async function charged(res: Awaited<ReturnType<typeof gql>>, units: number) {
  const requestId = res.headers.get('x-request-id')!;
  expect(res.body.extensions.billing.requestId).toBe(requestId);
  expect(res.body.extensions.billing.creditsDebited).toBe(credits(units));
  expect(res.headers.get('x-credits-debited')).toBe(String(credits(units)));
  const balance = await balanceUnits(app.db.sql, client.accountId);
  expect(res.body.extensions.billing.creditsRemaining).toBe(credits(balance));
  expect(res.headers.get('x-credits-remaining')).toBe(String(credits(balance)));
  const rows = await ledgerRows(app.db.sql, requestId);
  expect(rows).toHaveLength(units === 0 ? 0 : 1);
  if (units) expect(rows[0].amount).toBe(BigInt(-units));
}

describe('GraphQL: the selection is the bill', () => {
  it('bills productMeta, imageMeta and each image; head when nothing paid is selected', async () => {
    let res = await gql('query($b: Barcode!) { product(barcode: $b) { barcode availableVariants } }', { b: four });
    expect(res.status).toBe(200);
    expect(res.body.data.product).toEqual({
      barcode: four,
      availableVariants: ['FRONT', 'BACK', 'FRONT_CLEAN', 'BACK_CLEAN'],
    });
    await charged(res, 500);

    res = await gql(
      'query($b: Barcode!) { product(barcode: $b) { productMeta { brand nutritionFacts { calories vitaminDMcg } } imageMeta { front { resolution } } images { front back(size: THUMB, format: WEBP) } } }',
      { b: four },
    );
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.product.productMeta.nutritionFacts).toEqual({ calories: 140, vitaminDMcg: null });
    expect(res.body.data.product.images.front).toMatch(new RegExp(`^${app.url}/api/v1/image/`));
    await charged(res, 5000 + 5000 + 8000 * 2);
  });

  it('merges aliases, fragments and repeats across product and products; honours @skip/@include', async () => {
    const query = `
      query($b: Barcode!, $all: [Barcode!]!, $skip: Boolean!) {
        a: product(barcode: $b) { ...Meta images { front } }
        b: product(barcode: $b) { productMeta { productName } images { f2: front back @skip(if: $skip) backClean @include(if: $skip) } }
        products(barcodes: $all) { ... on Product { productMeta { brand } } }
      }
      fragment Meta on Product { productMeta { brand } }`;
    const res = await gql(query, { b: four, all: [four, `00${four}`, none, barcode(13)], skip: true });
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.products.map((p: { productMeta: unknown } | null) => p === null)).toEqual([
      false,
      false,
      false,
      true,
    ]);
    // four: productMeta once, front once (aliased twice), backClean (@include), not back (@skip);
    // none: productMeta; the absent product: free.
    await charged(res, 5000 + 8000 + 8000 + 5000);
    expect(res.body.data.b.images).toEqual({ f2: expect.any(String), backClean: expect.any(String) });
    expect(
      res.body.extensions.billing.lines
        .map((l: { action: string; variant?: string }) => `${l.action}:${l.variant ?? ''}`)
        .sort(),
    ).toEqual(['products.get.per_image:back_clean', 'products.get.per_image:front', 'products.get:', 'products.get:']);
  });

  it('an absent product costs nothing and is null; absent variants are null and free', async () => {
    let res = await gql('query($b: Barcode!) { product(barcode: $b) { productMeta { brand } } }', { b: barcode(13) });
    expect(res.body.data.product).toBeNull();
    await charged(res, 0);
    res = await gql('query($b: Barcode!) { product(barcode: $b) { images { front backClean } } }', { b: none });
    expect(res.body.data.product.images).toEqual({ front: null, backClean: null });
    await charged(res, 0);
  });

  it('bulkCheck bills per distinct valid barcode and reports invalid rows', async () => {
    const res = await gql('query($l: [String!]!) { bulkCheck(barcodes: $l) { barcode exists variants error } }', {
      l: [four, '123', none, four, barcode(8)],
    });
    expect(res.body.data.bulkCheck.map((r: { exists: boolean; error: string | null }) => [r.exists, r.error])).toEqual([
      [true, null],
      [false, 'INVALID_BARCODE'],
      [true, null],
      [true, null],
      [false, null],
    ]);
    await charged(res, 300);
  });

  it('a price quote charges nothing and returns no data', async () => {
    const before = await balanceUnits(app.db.sql, client.accountId);
    const res = await gql(
      'query($b: Barcode!) { product(barcode: $b) { productMeta { brand } images { front } } }',
      { b: four },
      { headers: { 'x-price-quote': '1' } },
    );
    expect(res.status).toBe(200);
    expect(res.body.data).toBeNull();
    expect(res.body.extensions.billing).toMatchObject({
      quote: true,
      creditsQuoted: 1.3,
      creditsDebited: 0,
      creditsRemaining: credits(before),
    });
    expect(res.body.extensions.billing.lines).toHaveLength(2);
    expect(await balanceUnits(app.db.sql, client.accountId)).toBe(before);
  });

  it('INSUFFICIENT_CREDITS: no paid data, nothing charged', async () => {
    const poor = await seed(app).client({ credits: '0.9', tier: 'enterprise' });
    const res = await gql(
      'query($b: Barcode!) { product(barcode: $b) { productMeta { brand } imageMeta { front { width } } } }',
      { b: four },
      { token: poor.accessToken },
    );
    expect(res.status).toBe(402);
    expect(res.body.data).toBeUndefined();
    expect(res.body.errors[0].extensions.code).toBe('INSUFFICIENT_CREDITS');
    expect(res.body.extensions.billing).toMatchObject({ creditsDebited: 0, creditsRemaining: 0.9 });
    expect(res.headers.get('x-credits-remaining')).toBe('0.9');
    expect(await balanceUnits(app.db.sql, poor.accountId)).toBe(9000n);
  });

  it('pricing works without a token; paid fields need one; the REST headers are on every response', async () => {
    let res = await gql('{ pricing { currency actions { action credits } updatedAt } }', undefined, {
      token: undefined,
    });
    expect(res.status).toBe(200);
    expect(res.body.data.pricing.actions).toContainEqual({ action: 'products.get.per_image', credits: 0.8 });
    expect(res.headers.get('x-request-id')).toBe(res.body.extensions.billing.requestId);
    expect(res.headers.get('x-credits-debited')).toBe('0');
    res = await gql('query($b: Barcode!) { product(barcode: $b) { barcode } }', { b: four }, { token: undefined });
    expect(res.status).toBe(401);
    expect(res.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    expect(res.headers.get('x-request-id')).toMatch(/^req_/);
  });

  it('invalid barcodes, out of scope, and the operation limits carry their codes and charge nothing', async () => {
    let res = await gql('query($b: Barcode!) { product(barcode: $b) { barcode } }', {
      b: four.slice(0, -1) + String((Number(four.at(-1)) + 1) % 10),
    });
    expect(res.body.errors[0].extensions.code).toBe('INVALID_BARCODE');
    expect(res.body.errors[0].message).toMatch(/check digit/);
    res = await gql('{ product(barcode: "12ab") { barcode } }');
    expect(res.body.errors[0].extensions.code).toBe('INVALID_BARCODE');

    const scoped = await seed(app).client({
      credits: 10,
      tier: 'enterprise',
      scope: { ownerships: ['Elsewhere'] },
    });
    res = await gql(
      'query($b: Barcode!) { product(barcode: $b) { productMeta { brand } } }',
      { b: four },
      { token: scoped.accessToken },
    );
    expect(res.body.data.product).toBeNull();
    expect(res.body.errors[0].extensions.code).toBe('OUT_OF_SCOPE');
    expect(await balanceUnits(app.db.sql, scoped.accountId)).toBe(100_000n);

    res = await gql(
      'query($l: [Barcode!]!) { products(barcodes: $l) { productMeta { brand } } }',
      { l: [none, four] },
      {
        token: (
          await seed(app).client({
            credits: 10,
            tier: 'enterprise',
            scope: {
              brands: [
                (await app.db.sql<{ brand: string }[]>`select brand from products where barcode = ${none}`)[0].brand,
              ],
            },
          })
        ).accessToken,
      },
    );
    expect(res.body.data.products[0].productMeta.brand).toEqual(expect.any(String));
    expect(res.body.data.products[1]).toBeNull();
    expect(res.body.errors).toEqual([
      expect.objectContaining({ path: ['products', 1], extensions: { code: 'OUT_OF_SCOPE' } }),
    ]);
    expect(res.body.extensions.billing.creditsDebited).toBe(0.5);

    const many = Array.from({ length: 501 }, () => barcode(13));
    res = await gql('query($l: [Barcode!]!) { products(barcodes: $l) { barcode } }', { l: many });
    expect(res.body.errors[0].extensions.code).toBe('BAD_REQUEST');
    const aliases = Array.from({ length: 101 }, (_, i) => `a${i}: __typename`).join(' ');
    res = await gql(`{ ${aliases} }`);
    expect(res.body.errors[0].extensions.code).toBe('BAD_REQUEST');
    expect(res.body.errors[0].message).toMatch(/aliases/);
  });
});

describe('GraphQL: one batched lookup, one debit', () => {
  it('100 barcodes: one catalog query and one debit statement', async () => {
    const counters = app.service.app.counters;
    const barcodes: string[] = [];
    for (let i = 0; i < 100; i++)
      barcodes.push(i % 2 ? (await seed(app).product({ meta: 'full', imageRows: ['front'] })).barcode : barcode(13));
    const lookups = counters.get('catalog.lookups');
    const debits = counters.get('debit.statements');
    const res = await gql(
      'query($l: [Barcode!]!) { products(barcodes: $l) { productMeta { brand } images { front } } again: products(barcodes: $l) { barcode } }',
      { l: barcodes },
    );
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.products.filter((p: unknown) => p !== null)).toHaveLength(50);
    expect(counters.get('catalog.lookups') - lookups).toBe(1);
    expect(counters.get('debit.statements') - debits).toBe(1);
    await charged(res, 50 * (5000 + 8000));
  });
});

describe('GraphQL transport', () => {
  it('GraphiQL for browsers, 413 beyond 1 MiB, rate-limit headers on authenticated operations', async () => {
    const page = await fetch(`${app.url}/graphql`, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(await page.text()).toMatch(/graphiql/i);
    const big = await gql(`{ __typename } # ${'x'.repeat(1024 * 1024)}`);
    expect(big.status).toBe(413);
    expect(big.body.error).toBe('payload_too_large');
    const res = await gql('query($b: Barcode!) { product(barcode: $b) { barcode } }', { b: four });
    expect(res.headers.get('x-ratelimit-limit-minute')).toBe('6000');
    expect(res.headers.get('x-ratelimit-remaining-day')).toMatch(/^\d+$/);
  });
});

describe('GraphQL: one compiled plan per document and key variables (docs/graphql-limits.md#plan-cache)', () => {
  it('reuses the walk for new root arguments and walks again when a variable changes the selection', async () => {
    const q = `query($b: Barcode!, $withBack: Boolean!, $size: ImageSize!) {
      product(barcode: $b) { productMeta { brand } images { front(size: $size) back @include(if: $withBack) } } }`;
    const other = (await seed(app).product({ meta: 'full', imageRows: ['front', 'back'] })).barcode;
    const walks = planWalks();

    let res = await gql(q, { b: four, withBack: false, size: 'THUMB' });
    expect(res.body.errors).toBeUndefined();
    await charged(res, 5000 + 8000);
    expect(planWalks()).toBe(walks + 1);

    // Another barcode (a root argument): the compiled plan is reused, and bills the new product.
    res = await gql(q, { b: other, withBack: false, size: 'THUMB' });
    expect(res.body.data.product.images).toEqual({ front: expect.stringMatching(/\/api\/v1\/image\//) });
    await charged(res, 5000 + 8000);
    expect(planWalks()).toBe(walks + 1);

    // A directive's variable selects one more image: walked again, billed for it.
    res = await gql(q, { b: other, withBack: true, size: 'THUMB' });
    expect(res.body.data.product.images.back).toMatch(/\/api\/v1\/image\//);
    await charged(res, 5000 + 8000 * 2);
    expect(planWalks()).toBe(walks + 2);

    // A nested argument's variable (the image size) is part of what is billed: walked again.
    res = await gql(q, { b: four, withBack: false, size: 'MEDIUM' });
    await charged(res, 5000 + 8000);
    expect(planWalks()).toBe(walks + 3);

    // Each compiled variant is kept: back to the first two selections without a walk.
    res = await gql(q, { b: four, withBack: true, size: 'THUMB' });
    await charged(res, 5000 + 8000 * 2);
    res = await gql(q, { b: other, withBack: false, size: 'THUMB' });
    await charged(res, 5000 + 8000);
    expect(planWalks()).toBe(walks + 3);
  });

  it('keeps no plan under a long key: many directive variables are walked on every request, and billed right', async () => {
    // 140 Boolean variables (within the 2,000-token limit), all false but the first: a key of ~1,100 characters.
    const n = 140;
    const defs = Array.from({ length: n }, (_, i) => `$v${i}: Boolean!`).join(', ');
    const fields = Array.from({ length: n }, (_, i) => `barcode @include(if: $v${i})`).join(' ');
    const q = `query($b: Barcode!, ${defs}) { product(barcode: $b) { productMeta { brand } ${fields} } }`;
    const vars = Object.fromEntries(Array.from({ length: n }, (_, i) => [`v${i}`, i === 0]));
    const walks = planWalks();
    for (const b of [four, four]) {
      const res = await gql(q, { b, ...vars });
      expect(res.body.errors).toBeUndefined();
      expect(res.body.data.product.barcode).toBe(four);
      await charged(res, 5000);
    }
    expect(planWalks()).toBe(walks + 2);
  });

  it('never caches a refusal: an operation over a limit is refused every time', async () => {
    const aliases = Array.from({ length: 101 }, (_, i) => `a${i}: barcode`).join(' ');
    const tooMany = `query($b: Barcode!) { product(barcode: $b) { productMeta { brand } ${aliases} } }`;
    const before = await balanceUnits(app.db.sql, client.accountId);
    for (const b of [four, none, four]) {
      const res = await gql(tooMany, { b });
      expect(res.body.errors?.[0]?.extensions?.code).toBe('BAD_REQUEST');
      expect(res.body.errors[0].message).toMatch(/aliases/);
    }
    expect(await balanceUnits(app.db.sql, client.accountId)).toBe(before);
  });
});
