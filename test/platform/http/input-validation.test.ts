// Fixed regressions for input that used to reach PostgreSQL and come back as a 500: a well-formed listing cursor
// with impossible timestamps, usage dates outside PostgreSQL's range, an impossible upload photo date (which also
// left its blob behind), NUL in a product's text. And the defence behind validation: a data error that still
// reaches PostgreSQL is a counted 400, and a failed image row write takes its new blob back.
// The rules are docs/input-validation.md.

import { readdir } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { call, type JsonResponse } from '../../helpers/http.ts';
import { balanceUnits } from '../../helpers/ledger.ts';
import { barcode, picture, putImage, type SignedInClient, seed } from '../../helpers/testkit.ts';

function expectError(res: JsonResponse, status: number, code: string): void {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.body).toEqual({ error: code, message: expect.any(String), request_id: res.headers.get('x-request-id') });
  expect(res.headers.get('x-credits-debited')).toBe('0');
}

async function blobCount(app: TestApp): Promise<number> {
  try {
    return (await readdir(path.join(app.config.dataDir, 'blobs'), { recursive: true, withFileTypes: true })).filter(
      (d) => d.isFile(),
    ).length;
  } catch {
    return 0;
  }
}

const remainingMinute = (r: JsonResponse) => Number(r.headers.get('x-ratelimit-remaining-minute'));
const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
const unb64 = (s: string) => JSON.parse(Buffer.from(s, 'base64url').toString('utf8'));

describe('input validation regressions', () => {
  let app: TestApp;
  let c: SignedInClient;
  const get = (p: string) => call(app.url, p, { token: c.accessToken });

  beforeAll(async () => {
    app = await startTestApp();
    c = await seed(app).client({ tier: 'standard', credits: 100 });
    await seed(app).product({ meta: 'full', imageRows: ['front'] });
    await seed(app).product({ meta: 'full' });
    await new Promise((r) => setTimeout(r, 700)); // past the updated_at listing watermark
  });
  afterAll(async () => {
    await app?.close();
  });

  describe('listing cursor: a well-formed cursor is still client input', () => {
    let issued: Record<string, unknown>;
    beforeAll(async () => {
      const first = await get('/api/v1/products?order=updated_at&per_page=1');
      expect(first.status).toBe(200);
      issued = unb64(first.body.page_info.next_cursor);
      expect(issued).toMatchObject({ o: 'u', t: expect.any(String), w: expect.any(String) });
    });

    it('timestamps 2026-13-45T99:99:99Z: 400 bad_request, counted against the rate limit (no 5xx refund)', async () => {
      const cursor = b64({ ...issued, t: '2026-13-45T99:99:99Z', w: '2026-13-45T99:99:99Z' });
      const before = await balanceUnits(app.db.sql, c.accountId);
      const r1 = await get(`/api/v1/products?order=updated_at&cursor=${cursor}`);
      expectError(r1, 400, 'bad_request');
      expect(r1.body.message).toContain('cursor');
      const r2 = await get(`/api/v1/products?order=updated_at&cursor=${cursor}`);
      expectError(r2, 400, 'bad_request');
      expect(remainingMinute(r2)).toBe(remainingMinute(r1) - 1);
      expect(await balanceUnits(app.db.sql, c.accountId)).toBe(before);
    });

    it.each([
      ['t', '2026-02-31T00:00:00Z'],
      ['t', '0000-01-01T00:00:00Z'],
      ['w', '2026-01-01T24:00:00Z'],
      ['w', '10000-01-01T00:00:00Z'],
      ['t', 12],
      ['g', '0001234567890\u0000'],
      ['g', 'x'.repeat(14)],
    ])('field %s = %j: 400 bad_request', async (field, value) => {
      expectError(
        await get(`/api/v1/products?order=updated_at&cursor=${b64({ ...issued, [field]: value })}`),
        400,
        'bad_request',
      );
    });

    it('base64 of JSON that is not an object (null, a list, a number): 400 bad_request', async () => {
      for (const v of [null, [], 7, 'u'])
        expectError(await get(`/api/v1/products?cursor=${b64(v)}`), 400, 'bad_request');
    });

    it('updated_since outside 1970-9999 or not a real date: 400 bad_request', async () => {
      for (const v of ['0000-01-01', '1969-12-31', '2026-02-31', '2026-01-01T25:00:00Z', '2026-01-01T10:00:00+99:00']) {
        expectError(await get(`/api/v1/products?updated_since=${encodeURIComponent(v)}`), 400, 'bad_request');
      }
      expect((await get('/api/v1/products?updated_since=1970-01-01')).status).toBe(200);
    });

    it('a NUL in a text filter: 400 bad_request', async () => {
      for (const p of ['hechsher', 'brand', 'ownership'])
        expectError(await get(`/api/v1/products?${p}=OU%00D`), 400, 'bad_request');
    });
  });

  describe('usage dates', () => {
    it('from=0000-01-01: 400 bad_request, not 500 (alone, and within a short span that reached SQL)', async () => {
      expectError(await get('/api/v1/usage?from=0000-01-01'), 400, 'bad_request');
      expectError(await get('/api/v1/usage?from=0000-01-01&to=0000-01-31'), 400, 'bad_request');
    });

    it('impossible or out-of-range days and from after to: 400 bad_request; a real range still answers', async () => {
      for (const q of [
        'from=2026-02-31',
        'to=2026-13-01',
        'from=1969-12-31&to=1970-01-02',
        'to=10000-01-01',
        'from=2026-02-02&to=2026-02-01',
      ]) {
        expectError(await get(`/api/v1/usage?${q}`), 400, 'bad_request');
      }
      expect((await get('/api/v1/usage?from=2026-01-01&to=2026-01-31')).status).toBe(200);
    });
  });

  describe('admin writes', () => {
    it('ingest with X-Photo-Date: 2026-02-31: 400 bad_request, and no blob and no image row is left', async () => {
      const p = await seed(app).product();
      const blobs = await blobCount(app);
      const jpeg = await picture(300, 300, 'jpeg');
      for (const date of ['2026-02-31', '0004-28-06', '0000-01-01', '1969-12-31']) {
        const r = await putImage(app.url, app.adminToken, p.barcode, 'front', jpeg, 'image/jpeg', {
          'X-Photo-Date': date,
        });
        expect(r.status, JSON.stringify(r.body)).toBe(400);
        expect(r.body).toEqual({
          error: 'bad_request',
          message: expect.stringContaining('photo_date'),
          request_id: expect.any(String),
        });
      }
      const viaQuery = await fetch(`${app.url}/admin/v1/products/${p.barcode}/images/front?source_batch=a%00b`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${app.adminToken}`, 'content-type': 'image/jpeg' },
        body: new Uint8Array(jpeg),
      });
      expect(viaQuery.status).toBe(400);
      expect(await blobCount(app)).toBe(blobs);
      expect(await app.db.sql`select 1 from product_images where gtin14 = ${p.gtin14}`).toHaveLength(0);
    });

    it('an EXIF DateTimeOriginal of 2026:02:31 is not a photo date: stored with photo_date null', async () => {
      const p = await seed(app).product();
      const svg = Buffer.from(
        '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="200">' +
          '<circle cx="100" cy="100" r="60" fill="#246"/></svg>',
      );
      const jpeg = await sharp(svg)
        .flatten({ background: '#ffffff' })
        .withExif({ IFD2: { DateTimeOriginal: '2026:02:31 10:00:00' } })
        .jpeg()
        .toBuffer();
      const r = await putImage(app.url, app.adminToken, p.barcode, 'front', jpeg, 'image/jpeg');
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      expect(r.body.image_meta.photo_date).toBeNull();
    });

    it('a failed image row write after the blob was stored takes the new blob back (400: data error)', async () => {
      const p = await seed(app).product();
      // A real PostgreSQL data exception raised by the row write itself, for this product only.
      await app.db.sql.unsafe(`
        create function fail_image_${p.gtin14}() returns trigger language plpgsql as $$
        begin raise exception 'injected' using errcode = '22008'; end $$;
        create trigger fail_image_${p.gtin14} before insert on product_images for each row
          when (new.gtin14 = '${p.gtin14}') execute function fail_image_${p.gtin14}();`);
      try {
        const blobs = await blobCount(app);
        const r = await putImage(
          app.url,
          app.adminToken,
          p.barcode,
          'front',
          await picture(320, 240, 'jpeg'),
          'image/jpeg',
        );
        expect(r.status, JSON.stringify(r.body)).toBe(400);
        expect(r.body).toEqual({ error: 'bad_request', message: expect.any(String), request_id: expect.any(String) });
        expect(JSON.stringify(r.body)).not.toMatch(/injected|22008|product_images/);
        expect(await blobCount(app)).toBe(blobs);
      } finally {
        await app.db.sql.unsafe(
          `drop trigger fail_image_${p.gtin14} on product_images; drop function fail_image_${p.gtin14}();`,
        );
      }
    });

    it('product PUT with a NUL in product_name: 400 bad_request and nothing stored', async () => {
      const b = barcode();
      const body = { brand: 'Acme', product_name: 'Babka\u0000', ownership: 'Studio A' };
      const r = await call(app.url, `/admin/v1/products/${b}`, { method: 'PUT', token: app.adminToken, body });
      expect(r.status, JSON.stringify(r.body)).toBe(400);
      expect(r.body).toEqual({
        error: 'bad_request',
        message: expect.stringContaining('product_name'),
        request_id: expect.any(String),
      });
      for (const bad of ['\ud800', 'x\udfff']) {
        const r2 = await call(app.url, `/admin/v1/products/${b}`, {
          method: 'PUT',
          token: app.adminToken,
          body: { ...body, product_name: bad },
        });
        expect(r2.status).toBe(400);
      }
      expect(await app.db.sql`select 1 from products where gtin14 = ${b.padStart(14, '0')}`).toHaveLength(0);
    });

    it('admin ids of another shape name nothing: 404 not_found without touching SQL', async () => {
      for (const id of ['acct%00x', 'a'.repeat(65), '%F0%9F%98%80']) {
        const r = await call(app.url, `/admin/v1/accounts/${id}`, { token: app.adminToken });
        expect(r.status).toBe(404);
        expect(r.body.error).toBe('not_found');
      }
    });
  });

  it('a data error PostgreSQL still raises on a client route: a 400 counted by the rate limit, no debit', async () => {
    // Validation cannot be bypassed from outside, so the database raises one itself: a trigger on the
    // idempotency record that a bulk-check with this key writes first.
    const key = `dataerr-${Date.now()}-0123456789`;
    await app.db.sql.unsafe(`
      create function fail_idem() returns trigger language plpgsql as $$
      begin raise exception 'injected' using errcode = '22P02'; end $$;
      create trigger fail_idem before insert on idempotency_records for each row
        when (new.idem_key = '${key}') execute function fail_idem();`);
    try {
      const before = await balanceUnits(app.db.sql, c.accountId);
      const send = () =>
        call(app.url, '/api/v1/products/bulk-check', {
          token: c.accessToken,
          body: { barcodes: [barcode()] },
          headers: { 'idempotency-key': key },
        });
      const r1 = await send();
      expectError(r1, 400, 'bad_request');
      const r2 = await send();
      expectError(r2, 400, 'bad_request');
      expect(remainingMinute(r2)).toBe(remainingMinute(r1) - 1);
      expect(await balanceUnits(app.db.sql, c.accountId)).toBe(before);
    } finally {
      await app.db.sql.unsafe('drop trigger fail_idem on idempotency_records; drop function fail_idem();');
    }
  });
});
