// GraphQL `catalog` beside GET /api/v1/products: same items, interchangeable cursors, same scope filter, free;
// paid fields on its nodes billed through the one read plan exactly like the equivalent products(barcodes).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Variant } from '../../../src/modules/catalog/product.types.ts';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { call, type JsonResponse } from '../../helpers/http.ts';
import { balanceUnits, ledgerRows } from '../../helpers/ledger.ts';
import { seed, tag } from '../../helpers/testkit.ts';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app?.close();
});

const gql = (token: string, query: string, variables: Record<string, unknown> = {}, headers?: Record<string, string>) =>
  call(app.url, '/graphql', { token, body: { query, variables }, headers });
const requestId = (r: JsonResponse) => r.headers.get('x-request-id')!;

/** A brand of its own with `n` products; images on some, so variants differ. */
async function brandWith(n: number, variants: Variant[][] = []) {
  const brand = `Brand ${tag()}`;
  const items = await seed(app).products(Array.from({ length: n }, (_, i) => ({ brand, imageRows: variants[i] })));
  return { brand, barcodes: items.map((p) => p.barcode) };
}

/** A cursor's keyset position and filters, without the traversal's watermark. */
const position = (cursor: string) => {
  const { w, ...rest } = JSON.parse(Buffer.from(cursor, 'base64url').toString());
  expect(w).toEqual(expect.any(String));
  return rest;
};

const CATALOG = `query($f: CatalogFilter, $first: Int, $after: String, $order: CatalogOrder) {
  catalog(filter: $f, first: $first, after: $after, order: $order) {
    edges { cursor summary { barcode brand productName ownership variants updatedAt } node { barcode availableVariants } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    syncUntil
  }
}`;

/** GraphQL summary -> the REST item shape. */
const restItem = (s: {
  barcode: string;
  brand: string;
  productName: string;
  ownership: string;
  variants: string[];
  updatedAt: string;
}) => ({
  barcode: s.barcode,
  brand: s.brand,
  product_name: s.productName,
  ownership: s.ownership,
  variants: s.variants.map((v) => v.toLowerCase()),
  updated_at: s.updatedAt,
});

describe('catalog vs GET /api/v1/products', () => {
  it('pages through the same items with the same cursors, free, and the cursors work across both doors', async () => {
    const c = await seed(app).client({ credits: 5 });
    const { brand, barcodes } = await brandWith(5, [['front'], [], ['front', 'back_clean']]);
    const restPages: unknown[][] = [];
    const gqlPages: unknown[][] = [];
    let restCursor: string | null = null;
    let after: string | null = null;
    for (let i = 0; i < 3; i++) {
      const rest = await call(
        app.url,
        `/api/v1/products?brand=${encodeURIComponent(brand)}&per_page=2${restCursor ? `&cursor=${restCursor}` : ''}`,
        { token: c.accessToken },
      );
      expect(rest.status).toBe(200);
      const g = await gql(c.accessToken, CATALOG, { f: { brand }, first: 2, after });
      expect(g.status).toBe(200);
      expect(g.body.errors).toBeUndefined();
      const conn = g.body.data.catalog;
      restPages.push(rest.body.items);
      gqlPages.push(conn.edges.map((e: { summary: never }) => restItem(e.summary)));
      expect(conn.edges.map((e: { node: { barcode: string } }) => e.node.barcode)).toEqual(
        rest.body.items.map((x: { barcode: string }) => x.barcode),
      );
      expect(conn.pageInfo.hasNextPage).toBe(rest.body.page_info.has_more);
      expect(conn.pageInfo.hasPreviousPage).toBe(after !== null);
      // Each traversal fixes its own sync watermark on its first page; apart from it the cursors are the same.
      if (conn.pageInfo.hasNextPage)
        expect(position(conn.pageInfo.endCursor)).toEqual(position(rest.body.page_info.next_cursor));
      else expect(rest.body.page_info.next_cursor).toBeNull();
      expect(conn.edges.at(-1).cursor).toBe(conn.pageInfo.endCursor);
      expect(conn.syncUntil).toMatch(/^\d{4}-\d{2}-\d{2}T[\d:.]+Z$/);
      // Free: nothing debited, no ledger row, balance reported.
      expect(g.headers.get('x-credits-debited')).toBe('0');
      expect(g.body.extensions.billing).toMatchObject({ creditsDebited: 0, creditsRemaining: 5, lines: [] });
      expect(await ledgerRows(app.db.sql, requestId(g))).toHaveLength(0);
      restCursor = rest.body.page_info.next_cursor;
      after = conn.pageInfo.endCursor;
    }
    expect(gqlPages).toEqual(restPages);
    expect(
      gqlPages
        .flat()
        .map((x) => (x as { barcode: string }).barcode)
        .sort(),
    ).toEqual([...barcodes].sort());
    expect(restCursor).toBeNull();
    expect(await balanceUnits(app.db.sql, c.accountId)).toBe(50_000n);

    // A REST cursor continues a GraphQL traversal and vice versa.
    const first = await gql(c.accessToken, CATALOG, { f: { brand }, first: 3 });
    const restNext = await call(
      app.url,
      `/api/v1/products?brand=${encodeURIComponent(brand)}&per_page=3&cursor=${first.body.data.catalog.pageInfo.endCursor}`,
      { token: c.accessToken },
    );
    expect(restNext.body.items.map((x: { barcode: string }) => x.barcode)).toEqual(
      restPages
        .flat()
        .slice(3)
        .map((x) => (x as { barcode: string }).barcode),
    );
    const restFirst = await call(app.url, `/api/v1/products?brand=${encodeURIComponent(brand)}&per_page=3`, {
      token: c.accessToken,
    });
    const gNext = await gql(c.accessToken, CATALOG, {
      f: { brand },
      first: 3,
      after: restFirst.body.page_info.next_cursor,
    });
    expect(gNext.body.data.catalog.edges.map((e: { summary: never }) => restItem(e.summary))).toEqual(
      restNext.body.items,
    );
    // The watermark travels in the cursor: a page continuing the REST traversal reports the REST sync_until.
    expect(gNext.body.data.catalog.syncUntil).toBe(restFirst.body.sync_until);
    expect(restNext.body.sync_until).toBe(first.body.data.catalog.syncUntil);
  });

  it("applies the same filters (updatedSince order, hasFront, search) and the client's scope filter", async () => {
    const { brand } = await brandWith(4, [['front'], ['back'], ['front']]);
    const other = await brandWith(2);
    const scoped = await seed(app).client({ scope: { brands: [brand] } });
    // A traversal covers rows updated up to 500 ms before it starts (the listing watermark): let the rows
    // just written settle, so that the REST and GraphQL calls below, made some ms apart, see the same rows.
    await new Promise((resolve) => setTimeout(resolve, 600));
    const all = await gql(scoped.accessToken, CATALOG, { first: 500 });
    const seen = all.body.data.catalog.edges.map((e: { summary: { brand: string } }) => e.summary.brand);
    expect(seen).toHaveLength(4);
    expect(new Set(seen)).toEqual(new Set([brand]));
    expect(seen).not.toContain(other.brand);

    for (const [qs, f] of [
      ['has_front=true', { hasFront: true }],
      [`search=${encodeURIComponent(brand.split(' ')[1])}`, { search: brand.split(' ')[1] }],
      ['updated_since=2020-01-01', { updatedSince: '2020-01-01' }],
    ] as const) {
      const rest = await call(app.url, `/api/v1/products?${qs}`, { token: scoped.accessToken });
      const g = await gql(scoped.accessToken, CATALOG, { f });
      expect(g.body.data.catalog.edges.map((e: { summary: never }) => restItem(e.summary))).toEqual(rest.body.items);
    }
  });

  it('refuses bad arguments with BAD_REQUEST, like the REST 400s', async () => {
    const c = await seed(app).client();
    const { brand } = await brandWith(3);
    const page = await gql(c.accessToken, CATALOG, { f: { brand }, first: 1 });
    const cases: Record<string, unknown>[] = [
      { first: 0 },
      { first: 501 },
      { after: 'not-a-cursor' },
      { f: { brand: 'another' }, after: page.body.data.catalog.pageInfo.endCursor }, // cursor of other filters
      { f: { brand }, after: page.body.data.catalog.pageInfo.endCursor, order: 'UPDATED_AT' },
      { f: { minDigits: 3 } },
      { f: { updatedSince: 'yesterday' } },
    ];
    for (const vars of cases) {
      const r = await gql(c.accessToken, CATALOG, vars);
      expect(r.status, JSON.stringify(vars)).toBe(400);
      expect(r.body.data ?? null).toBeNull();
      expect(r.body.errors[0].extensions.code).toBe('BAD_REQUEST');
    }
    const anon = await call(app.url, '/graphql', { body: { query: CATALOG } });
    expect(anon.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
  });
});

const PAID =
  'barcode productMeta { brand productName } imageMeta { front { width } } images { front(size: SMALL) backClean }';

describe('paid fields on catalog nodes', () => {
  it('are billed exactly like the same selection through products(barcodes): balance change and ledger row', async () => {
    const { brand, barcodes } = await brandWith(3, [['front'], ['front', 'back_clean'], []]);
    const viaCatalog = await seed(app).client({ credits: 100 });
    const viaProducts = await seed(app).client({ credits: 100 });
    const cat = await gql(
      viaCatalog.accessToken,
      `query($f: CatalogFilter) { catalog(filter: $f, first: 10) { edges { node { ${PAID} } } } }`,
      { f: { brand } },
    );
    expect(cat.body.errors).toBeUndefined();
    const listed = cat.body.data.catalog.edges.map((e: { node: { barcode: string } }) => e.node.barcode);
    expect([...listed].sort()).toEqual([...barcodes].sort());
    const prod = await gql(viaProducts.accessToken, `query($b: [Barcode!]!) { products(barcodes: $b) { ${PAID} } }`, {
      b: listed,
    });
    expect(prod.body.errors).toBeUndefined();

    // Same data (image URLs are signed per request: compare which exist).
    const shape = (nodes: { images: Record<string, string | null> }[]) =>
      nodes.map((n) => ({
        ...n,
        images: Object.fromEntries(Object.entries(n.images).map(([k, v]) => [k, v !== null])),
      }));
    expect(shape(cat.body.data.catalog.edges.map((e: { node: never }) => e.node))).toEqual(
      shape(prod.body.data.products),
    );
    // 3 × 2 metadata scopes × 0.5 + 3 existing images × 0.8 = 5.4 credits.
    expect(cat.body.extensions.billing.creditsDebited).toBe(5.4);
    expect(cat.body.extensions.billing.creditsDebited).toBe(prod.body.extensions.billing.creditsDebited);
    expect(cat.headers.get('x-credits-debited')).toBe(prod.headers.get('x-credits-debited'));
    expect(await balanceUnits(app.db.sql, viaCatalog.accountId)).toBe(1_000_000n - 54_000n);
    expect(await balanceUnits(app.db.sql, viaProducts.accountId)).toBe(1_000_000n - 54_000n);
    const [a] = await ledgerRows(app.db.sql, requestId(cat));
    const [b] = await ledgerRows(app.db.sql, requestId(prod));
    expect(a.amount).toBe(-54_000n);
    expect(a.amount).toBe(b.amount);
    const lines = (l: { action: string; amount: number }[]) => l.map((x) => JSON.stringify(x)).sort();
    expect(lines(a.lines)).toEqual(lines(b.lines));
    expect(await ledgerRows(app.db.sql, requestId(cat))).toHaveLength(1);
  });

  it('merge with the same products selected elsewhere in the operation: billed once per scope/image', async () => {
    const { brand, barcodes } = await brandWith(2, [['front'], ['front']]);
    const c = await seed(app).client({ credits: 100 });
    const r = await gql(
      c.accessToken,
      `query($f: CatalogFilter, $b: Barcode!) {
      a: catalog(filter: $f) { edges { node { productMeta { brand } } } }
      b: catalog(filter: $f) { edges { node { productMeta { brand } images { front } } } }
      product(barcode: $b) { productMeta { productName } }
    }`,
      { f: { brand }, b: barcodes[0] },
    );
    expect(r.body.errors).toBeUndefined();
    // 2 × products.get (product_meta) + 2 × per_image.
    expect(r.body.extensions.billing.creditsDebited).toBe(2.6);
    expect(await ledgerRows(app.db.sql, requestId(r))).toHaveLength(1);
  });

  it('bare nodes are free (no products.head); a price quote and INSUFFICIENT_CREDITS behave as on products', async () => {
    const { brand } = await brandWith(3, [['front']]);
    const c = await seed(app).client({ credits: '0.5' });
    const bare = await gql(
      c.accessToken,
      `query($f: CatalogFilter) { catalog(filter: $f) { edges { node { barcode availableVariants images { __typename } } } } }`,
      { f: { brand } },
    );
    expect(bare.body.errors).toBeUndefined();
    expect(bare.body.data.catalog.edges).toHaveLength(3);
    expect(bare.body.extensions.billing.creditsDebited).toBe(0);

    const q = `query($f: CatalogFilter) { catalog(filter: $f) { edges { node { productMeta { brand } } } } }`;
    const quote = await gql(c.accessToken, q, { f: { brand } }, { 'x-price-quote': '1' });
    expect(quote.body.data).toBeNull();
    expect(quote.body.extensions.billing).toMatchObject({ quote: true, creditsQuoted: 1.5, creditsDebited: 0 });

    const poor = await gql(c.accessToken, q, { f: { brand } });
    expect(poor.body.data ?? null).toBeNull();
    expect(poor.body.errors[0].extensions.code).toBe('INSUFFICIENT_CREDITS');
    expect(await balanceUnits(app.db.sql, c.accountId)).toBe(5_000n);
    expect(await ledgerRows(app.db.sql, requestId(poor))).toHaveLength(0);
  });
});
