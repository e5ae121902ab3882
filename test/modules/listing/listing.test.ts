// GET /api/v1/products: every filter, offset and cursor paging, the scope filter, bad parameters, and the
// headers of a free authenticated endpoint.

import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { call } from '../../helpers/http.ts';
import { useStrictOpenApi } from '../../helpers/openapi.ts';
import { barcode, hechsher, seed, tag } from '../../helpers/testkit.ts';

// In updated_at order a row is served once no transaction that started before it is still open, plus a
// 0.5 s margin (listing.repository.ts): tests wait that long after writing.
const settle = () => sleep(600);

// Every response these tests see must match schema/openapi.yaml.
useStrictOpenApi();

describe('catalog listing', () => {
  let app: TestApp;
  let token: string;
  const list = (qs: string, t = token) => call(app.url, `/api/v1/products${qs}`, { token: t });
  const barcodes = (res: { body: { items: { barcode: string }[] } }) => res.body.items.map((i) => i.barcode).sort();

  beforeAll(async () => {
    app = await startTestApp();
    token = (await seed(app).client({ tier: 'enterprise' })).accessToken;
  });
  afterAll(async () => {
    await app.close();
  });

  it('filters by brand (case-insensitive), ownership and search (prefix words over brand + name)', async () => {
    const brand = `Acme ${tag()}`;
    const [a, b, c] = await seed(app).products([
      { brand, product_name: 'Chocolate Babka', ownership: 'Studio North' },
      { brand, product_name: 'Cinnamon Rugelach', ownership: 'Studio South' },
      { product_name: `Chocolate Chips ${brand}` },
    ]);
    const byBrand = await list(`?brand=${encodeURIComponent(brand.toUpperCase())}`);
    expect(byBrand.status).toBe(200);
    expect(barcodes(byBrand)).toEqual([a.barcode, b.barcode].sort());
    expect(byBrand.body.items.find((i: { barcode: string }) => i.barcode === a.barcode)).toEqual({
      barcode: a.barcode,
      brand,
      product_name: 'Chocolate Babka',
      ownership: 'Studio North',
      variants: [],
      updated_at: expect.any(String),
    });
    expect(barcodes(await list(`?brand=${encodeURIComponent(brand)}&ownership=studio%20south`))).toEqual([b.barcode]);
    const word = brand.split(' ')[1];
    // Prefix match on the brand's unique word (first 5 of 8 chars) and a name word: a and c, not b.
    expect(barcodes(await list(`?search=${word.slice(0, 5)}%20chocol`))).toEqual([a.barcode, c.barcode].sort());
    expect((await list('?search=%20%21%21')).status).toBe(400);
  });

  it('filters by min_digits, hechsher, kosher_for_passover and has_front', async () => {
    const brand = `Digits ${tag()}`;
    const [d8, d12, d13] = await seed(app).products([
      { brand, barcode: barcode(8), hechshers: [hechsher('OU-D')] },
      {
        brand,
        barcode: barcode(12),
        kosher_for_passover: true,
        hechshers: [hechsher('OK'), hechsher('OU-D')],
        imageRows: ['front', 'back_clean'],
      },
      { brand, barcode: barcode(13), imageRows: ['back'] },
    ]);
    const q = `?brand=${encodeURIComponent(brand)}`;
    expect(barcodes(await list(`${q}&min_digits=12`))).toEqual([d12.barcode, d13.barcode].sort());
    expect(barcodes(await list(`${q}&min_digits=13`))).toEqual([d13.barcode]);
    expect(barcodes(await list(`${q}&hechsher=OU-D`))).toEqual([d8.barcode, d12.barcode].sort());
    expect(barcodes(await list(`${q}&hechsher=OK`))).toEqual([d12.barcode]);
    expect(barcodes(await list(`${q}&kosher_for_passover=true`))).toEqual([d12.barcode]);
    expect(barcodes(await list(`${q}&kosher_for_passover=false`))).toEqual([d8.barcode, d13.barcode].sort());
    expect(barcodes(await list(`${q}&has_front=true`))).toEqual([d12.barcode]);
    expect(barcodes(await list(`${q}&has_front=false`))).toEqual([d8.barcode, d13.barcode].sort());
    const withImages = await list(`${q}&has_front=true`);
    expect(withImages.body.items[0].variants).toEqual(['front', 'back_clean']);
  });

  it('filters by updated_since (date and date-time) and orders by (updated_at, barcode) then', async () => {
    const brand = `Since ${tag()}`;
    const old = await seed(app).product({ brand });
    await app.db.sql`update products set updated_at = '2020-01-01T00:00:00Z' where barcode = ${old.barcode}`;
    const fresh = await seed(app).product({ brand });
    await settle();
    const q = `?brand=${encodeURIComponent(brand)}`;
    expect(barcodes(await list(`${q}&updated_since=2020-01-01`))).toEqual([old.barcode, fresh.barcode].sort());
    const r = await list(`${q}&updated_since=2020-01-01T00:00:00.000001Z`);
    expect(barcodes(r)).toEqual([fresh.barcode]);
    expect(r.body.page_info.order).toBe('updated_at');
    expect(barcodes(await list(`${q}&updated_since=2020-01-02T00:00:00%2B02:00`))).toEqual([fresh.barcode]);
    // An unencoded "+" arrives as a space; it is read as the offset sign.
    expect(barcodes(await list(`${q}&updated_since=2020-01-02T00:00:00+02:00`))).toEqual([fresh.barcode]);
    for (const bad of ['yesterday', '2020-02-31', '2020-01-01T10:00:00', '2020-13-01']) {
      const res = await list(`${q}&updated_since=${encodeURIComponent(bad)}`);
      expect(res.status).toBe(400);
      expect(res.body.error).toBe('bad_request');
      expect(res.body.message).toContain('updated_since');
    }
  });

  it('pages with page/per_page and with the cursor, both covering every item once', async () => {
    const brand = `Pages ${tag()}`;
    const all = await seed(app).products(Array.from({ length: 23 }, () => ({ brand })));
    const q = `?brand=${encodeURIComponent(brand)}`;
    const expected = all.map((p) => p.barcode).sort();
    await settle();

    const first = await list(`${q}&per_page=10`);
    expect(first.body.page_info).toEqual({
      order: 'barcode',
      per_page: 10,
      page: 1,
      has_more: true,
      next_cursor: expect.any(String),
    });
    const byPage: string[] = [];
    for (let page = 1; page <= 3; page++) {
      const r = await list(`${q}&per_page=10&page=${page}`);
      expect(r.body.page_info.has_more).toBe(page < 3);
      byPage.push(...r.body.items.map((i: { barcode: string }) => i.barcode));
    }
    expect([...byPage].sort()).toEqual(expected);
    expect(new Set(byPage).size).toBe(23);

    for (const order of ['barcode', 'updated_at']) {
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const r = await list(`${q}&per_page=7&order=${order}${cursor ? `&cursor=${cursor}` : ''}`);
        expect(r.status).toBe(200);
        expect(r.body.page_info.page).toBe(cursor ? null : 1);
        seen.push(...r.body.items.map((i: { barcode: string }) => i.barcode));
        cursor = r.body.page_info.next_cursor;
        pages++;
      } while (cursor);
      expect(pages).toBe(4);
      expect(seen.length).toBe(23);
      expect([...seen].sort()).toEqual(expected);
    }
    // Default page size 50.
    expect((await list(q)).body.page_info.per_page).toBe(50);
  });

  it('refuses bad parameters with 400 bad_request naming the parameter', async () => {
    const cases: [string, string][] = [
      ['?per_page=501', 'per_page'],
      ['?per_page=0', 'per_page'],
      ['?page=0', 'page'],
      ['?min_digits=7', 'min_digits'],
      ['?min_digits=abc', 'min_digits'],
      ['?has_front=maybe', 'has_front'],
      ['?kosher_for_passover=yes', 'kosher_for_passover'],
      ['?cursor=not-a-cursor', 'cursor'],
      ['?order=price', 'order'],
      ['?brand=', 'brand'],
      ['?page=2&cursor=abc', 'page'],
      ['?brand=a&brand=b', 'brand'],
    ];
    for (const [qs, param] of cases) {
      const r = await list(qs);
      expect(r.status, qs).toBe(400);
      expect(r.body).toEqual({
        error: 'bad_request',
        message: expect.stringContaining(param),
        request_id: r.headers.get('x-request-id'),
      });
      expect(r.headers.get('x-credits-remaining')).toBe('10');
    }
    // A parameter the listing does not take has its own code (docs/rest.md#query-parameters).
    const typo = await list('?colour=red');
    expect(typo.status).toBe(400);
    expect(typo.body).toMatchObject({ error: 'unknown_parameter', message: expect.stringContaining('`colour`') });
    // A cursor belongs to its filters.
    const brand = `Cur ${tag()}`;
    await seed(app).products([{ brand }, { brand }]);
    const r = await list(`?brand=${encodeURIComponent(brand)}&per_page=1`);
    const other = await list(`?brand=other&cursor=${r.body.page_info.next_cursor}`);
    expect(other.status).toBe(400);
    expect(other.body.message).toContain('cursor');
  });

  it('applies the client scope filter (brands and ownerships, case-insensitive)', async () => {
    const brand = `Scoped ${tag()}`;
    const [mine, otherStudio] = await seed(app).products([
      { brand, ownership: 'Studio Mine' },
      { brand, ownership: 'Studio Other' },
      {},
    ]);
    const scoped = await seed(app).client({ scope: { brands: [brand.toLowerCase()] } });
    expect(barcodes(await list('?per_page=500', scoped.accessToken))).toEqual(
      [mine.barcode, otherStudio.barcode].sort(),
    );
    const both = await seed(app).client({ scope: { brands: [brand], ownerships: ['STUDIO MINE'] } });
    expect(barcodes(await list('?per_page=500', both.accessToken))).toEqual([mine.barcode]);
    // A filter cannot widen the scope.
    expect(barcodes(await list(`?ownership=${encodeURIComponent('Studio Other')}`, both.accessToken))).toEqual([]);
  });

  it('is free, authenticated, and carries every docs/rest.md#response-headers header on 200, 4xx and HEAD', async () => {
    const c = await seed(app).client({ credits: '2.5' });
    const ok = await list('?per_page=1', c.accessToken);
    expect(ok.status).toBe(200);
    expect(ok.body.meta).toEqual({
      request_id: ok.headers.get('x-request-id'),
      credits_debited: 0,
      credits_remaining: 2.5,
    });
    const bad = await list('?per_page=9999', c.accessToken);
    const head = await fetch(`${app.url}/api/v1/products?per_page=1`, {
      method: 'HEAD',
      headers: { authorization: `Bearer ${c.accessToken}` },
    });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    for (const h of [ok.headers, bad.headers, head.headers]) {
      expect(h.get('x-credits-debited')).toBe('0');
      expect(h.get('x-credits-remaining')).toBe('2.5');
      for (const name of [
        'x-ratelimit-limit-minute',
        'x-ratelimit-remaining-minute',
        'x-ratelimit-limit-day',
        'x-ratelimit-remaining-day',
        'x-ratelimit-reset',
        'ratelimit-policy',
        'ratelimit',
      ])
        expect(h.get(name), name).toMatch(/\S/);
    }
    // 60 a minute (standard): the token exchange counted too (docs/limits.md), then these three requests.
    expect(Number(head.headers.get('x-ratelimit-remaining-minute'))).toBe(56);
    const anon = await call(app.url, '/api/v1/products');
    expect(anon.status).toBe(401);
    expect(anon.body.error).toBe('unauthenticated');
    expect(anon.headers.get('x-ratelimit-limit-minute')).toMatch(/^\d+$/);
    expect(anon.headers.get('x-ratelimit-limit-day')).toBeNull();
  });
});
