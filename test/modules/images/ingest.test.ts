import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { picture, putImage, seed } from '../../helpers/testkit.ts';

async function blobCount(app: TestApp): Promise<number> {
  const root = path.join(app.config.dataDir, 'blobs');
  try {
    return (await readdir(root, { recursive: true, withFileTypes: true })).filter((d) => d.isFile()).length;
  } catch {
    return 0;
  }
}

/** Rewrites a PNG's IHDR to declare other dimensions (valid CRC), the shape of a decompression bomb. */
function pngDeclaring(png: Buffer, width: number, height: number): Buffer {
  const out = Buffer.from(png);
  out.writeUInt32BE(width, 16);
  out.writeUInt32BE(height, 20);
  out.writeUInt32BE(crc32(out.subarray(12, 29)), 29);
  return out;
}

describe('image ingest (PUT /admin/v1/products/{barcode}/images/{variant})', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => {
    await app?.close();
  });

  const rowsOf = (gtin14: string) => app.db.sql`select * from product_images where gtin14 = ${gtin14}`;

  it('stores an upright sRGB JPEG without EXIF, records metadata, and is idempotent by content', async () => {
    const p = await seed(app).product();
    // 300x200 stored with orientation 6: upright it is 200x300.
    const src = await picture(300, 200, 'jpeg', { exif: true, orientation: 6 });
    const r = await putImage(app.url, app.adminToken, p.barcode, 'front', src, 'image/jpeg', {
      'x-uploaded-by': 'studio-a',
      'x-source-batch': 'batch-7',
    });
    expect(r.status).toBe(201);
    expect(r.body.image_meta).toMatchObject({
      width: 200,
      height: 300,
      format: 'jpeg',
      content_type: 'image/jpeg',
      uploaded_by: 'studio-a',
      source_batch: 'batch-7',
    });
    const [row] = await rowsOf(p.gtin14);
    expect(row.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(row.uploaded_by).toBe('studio-a');
    const stored = (await app.service.infra.blobs.get(row.blob_key))!;
    const m = await sharp(stored).metadata();
    expect(m.format).toBe('jpeg');
    expect([m.width, m.height]).toEqual([200, 300]);
    expect(m.exif).toBeUndefined();
    expect(m.orientation ?? 1).toBe(1);
    expect(m.space).toBe('srgb');

    const again = await putImage(app.url, app.adminToken, p.barcode, 'front', src, 'image/jpeg');
    expect(again.status).toBe(200);
    expect(again.body.changed).toBe(false);
    const [row2] = await rowsOf(p.gtin14);
    expect(row2.upload_date).toEqual(row.upload_date);

    // The store lost the master (a database restored without its blobs): the same upload puts it back.
    await app.service.infra.blobs.delete(row.blob_key);
    expect(await app.service.infra.blobs.has(row.blob_key)).toBe(false);
    const repaired = await putImage(app.url, app.adminToken, p.barcode, 'front', src, 'image/jpeg');
    expect(repaired.status).toBe(200);
    expect(repaired.body.changed).toBe(false);
    expect((await app.service.infra.blobs.get(row.blob_key))?.equals(stored)).toBe(true);
  });

  it('takes the photo date from EXIF DateTimeOriginal unless given', async () => {
    const p = await seed(app).product();
    const r1 = await putImage(
      app.url,
      app.adminToken,
      p.barcode,
      'back',
      await picture(120, 100, 'jpeg', { exif: true }),
      'image/jpeg',
    );
    expect(r1.body.image_meta.photo_date).toBe('2024-05-06');
    const r2 = await putImage(
      app.url,
      app.adminToken,
      p.barcode,
      'front',
      await picture(121, 100, 'jpeg', { exif: true }),
      'image/jpeg',
      { 'x-photo-date': '2023-01-02' },
    );
    expect(r2.body.image_meta.photo_date).toBe('2023-01-02');
  });

  it('stores a clean variant as PNG with alpha and refuses one without transparency', async () => {
    const p = await seed(app).product();
    const ok = await putImage(
      app.url,
      app.adminToken,
      p.barcode,
      'front_clean',
      await picture(150, 150, 'png', { alpha: true }),
      'image/png',
    );
    expect(ok.status).toBe(201);
    const [row] = await rowsOf(p.gtin14);
    const m = await sharp((await app.service.infra.blobs.get(row.blob_key))!).metadata();
    expect(m.format).toBe('png');
    expect(m.hasAlpha).toBe(true);
    const opaque = await putImage(
      app.url,
      app.adminToken,
      p.barcode,
      'back_clean',
      await picture(150, 150, 'png'),
      'image/png',
    );
    expect(opaque.status).toBe(422);
    expect(opaque.body.error).toBe('unprocessable_image');
  });

  it('refuses bad uploads cleanly and stores nothing', async () => {
    const p = await seed(app).product();
    const before = await blobCount(app);
    const jpeg = await picture(400, 300, 'jpeg');
    const png = await picture(40, 30, 'png');
    // A decompression bomb: a few-KB PNG whose header declares 20000x20000 pixels (400 MP, 1.2 GB decoded).
    const bomb = pngDeclaring(
      await sharp({ create: { width: 64, height: 64, channels: 3, background: '#000' } })
        .png()
        .toBuffer(),
      20000,
      20000,
    );
    const cases: [string, Buffer, string, number, string][] = [
      ['decompression bomb', bomb, 'image/png', 422, 'unprocessable_image'],
      ['truncated JPEG', jpeg.subarray(0, Math.floor(jpeg.length / 2)), 'image/jpeg', 422, 'unprocessable_image'],
      ['PNG sent as image/jpeg', png, 'image/jpeg', 415, 'unsupported_media_type'],
      ['non-image', Buffer.from('%PDF-1.4 not an image at all'), 'image/jpeg', 415, 'unsupported_media_type'],
      ['GIF', Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00;', 'latin1'), 'image/png', 415, 'unsupported_media_type'],
      ['declared text/plain', jpeg, 'text/plain', 415, 'unsupported_media_type'],
      ['empty body', Buffer.alloc(0), 'image/jpeg', 400, 'bad_request'],
    ];
    for (const [name, bytes, type, status, code] of cases) {
      const r = await putImage(app.url, app.adminToken, p.barcode, 'front', bytes, type);
      expect({ name, status: r.status, code: r.body.error }).toEqual({ name, status, code });
      expect(r.body.request_id).toMatch(/^req_/);
    }
    expect(await rowsOf(p.gtin14)).toHaveLength(0);
    expect(await blobCount(app)).toBe(before);
  });

  it('answers unknown product, bad variant, bad barcode and missing admin token', async () => {
    const jpeg = await picture(50, 50, 'jpeg');
    expect((await putImage(app.url, app.adminToken, '4006381333931', 'front', jpeg, 'image/jpeg')).status).toBe(404);
    const p = await seed(app).product();
    expect((await putImage(app.url, app.adminToken, p.barcode, 'side', jpeg, 'image/jpeg')).body.error).toBe(
      'bad_request',
    );
    expect((await putImage(app.url, app.adminToken, '12345', 'front', jpeg, 'image/jpeg')).body.error).toBe(
      'invalid_barcode',
    );
    expect(
      (await putImage(app.url, 'wrong-token-wrong-token-wrong', p.barcode, 'front', jpeg, 'image/jpeg')).status,
    ).toBe(401);
  });
});
