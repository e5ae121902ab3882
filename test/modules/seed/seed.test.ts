// The seed against a real database and a real blob directory: rows, image bytes, idempotency, and the
// write repository's change detection and validation.
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertImages, upsertProducts } from '../../../src/modules/catalog/product-write.repository.ts';
import { generateCatalog } from '../../../src/modules/seed/generator.ts';
import { type SeedProgress, seedCatalog } from '../../../src/modules/seed/seed.ts';
import { FsBlobStore } from '../../../src/platform/blobs/fs-blob-store.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/db.ts';

const N = 50;
const SEED = 7;
let db: TestDatabase;
let dir: string;
let blobs: FsBlobStore;

interface ImageRowDb {
  gtin14: string;
  variant: string;
  format: string;
  content_type: string;
  width: number;
  height: number;
  file_size_bytes: number;
  sha256: string;
  blob_key: string;
}

/** Decodes once: the four corner pixels and the highest alpha value (255 for images without alpha). */
async function pixels(bytes: Buffer): Promise<{ corners: number[][]; maxAlpha: number }> {
  const { data, info } = await sharp(bytes).raw().toBuffer({ resolveWithObject: true });
  const px = (x: number, y: number) =>
    Array.from(data.subarray((y * info.width + x) * info.channels, (y * info.width + x + 1) * info.channels));
  let maxAlpha = info.channels === 4 ? 0 : 255;
  if (info.channels === 4)
    for (let i = 3; i < data.length && maxAlpha < 255; i += 4) maxAlpha = Math.max(maxAlpha, data[i]);
  return {
    corners: [px(0, 0), px(info.width - 1, 0), px(0, info.height - 1), px(info.width - 1, info.height - 1)],
    maxAlpha,
  };
}

beforeAll(async () => {
  db = await createTestDatabase();
  dir = await mkdtemp(path.join(os.tmpdir(), 'kc-seed-test-'));
  blobs = new FsBlobStore(dir);
});

afterAll(async () => {
  await db?.drop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('seedCatalog', () => {
  it('writes the generated products and their images, reporting progress', async () => {
    const progress: SeedProgress[] = [];
    const r = await seedCatalog(db.sql, blobs, {
      products: N,
      seed: SEED,
      batchSize: 20,
      onProgress: (p) => progress.push(p),
    });
    const expected = generateCatalog(SEED, N);
    const imageCount = expected.reduce((n, g) => n + g.images.length, 0);
    expect(r.products).toEqual({ inserted: N, updated: 0, unchanged: 0 });
    expect(r.images).toEqual({ inserted: imageCount, updated: 0, unchanged: 0 });
    expect(progress.at(-1)).toMatchObject({ done: N, total: N });
    // One report per batch written, plus one per image template rendered in between.
    const dones = progress.map((p) => p.done);
    expect(dones).toEqual([...dones].sort((x, y) => x - y));
    expect([...new Set(dones.filter((d) => d > 0))]).toEqual([20, 40, 50]);
    expect(progress.at(-1)!.templates).toBe(r.templates);

    const rows = await db.sql<
      {
        gtin14: string;
        barcode: string;
        brand: string;
        hechsher_symbols: string[];
        allergens: string[];
        nutrition_facts: unknown;
      }[]
    >`
      select gtin14, barcode, brand, hechsher_symbols, allergens, nutrition_facts from products order by gtin14`;
    expect(rows).toHaveLength(N);
    const byGtin = new Map(rows.map((row) => [row.gtin14, row]));
    for (const g of expected) {
      const row = byGtin.get(g.gtin14)!;
      expect(row.barcode).toBe(g.input.barcode);
      expect(row.brand).toBe(g.input.brand);
      expect(row.hechsher_symbols).toEqual(g.input.hechshers.map((h) => h.symbol));
      expect(row.allergens).toEqual(g.input.allergens);
      expect(row.nutrition_facts).toEqual(g.input.nutrition_facts);
    }
    const [{ n }] = await db.sql<{ n: number }[]>`select count(*)::int as n from product_images`;
    expect(n).toBe(imageCount);
  });

  it('stores image rows that point at blobs with the recorded bytes, size and format', async () => {
    const rows = await db.sql<ImageRowDb[]>`
      select gtin14, variant, format, content_type, width, height, file_size_bytes, sha256, blob_key from product_images`;
    expect(rows.length).toBeGreaterThan(0);
    const checked = new Set<string>();
    for (const row of rows) {
      expect(row.content_type).toBe(`image/${row.format}`);
      expect(row.format).toBe(row.variant.endsWith('_clean') ? 'png' : 'jpeg');
      if (checked.has(row.blob_key)) continue; // products share template images: check each blob once
      checked.add(row.blob_key);
      const bytes = await blobs.get(row.blob_key);
      expect(bytes, row.blob_key).not.toBeNull();
      expect(bytes!.length).toBe(row.file_size_bytes);
      expect(createHash('sha256').update(bytes!).digest('hex')).toBe(row.sha256);
      const meta = await sharp(bytes!).metadata();
      expect({ format: meta.format, width: meta.width, height: meta.height }).toEqual({
        format: row.format,
        width: row.width,
        height: row.height,
      });
      expect(row.width).toBeGreaterThanOrEqual(900);
      expect(row.width).toBeLessThanOrEqual(1200);
      const { corners, maxAlpha } = await pixels(bytes!);
      if (row.format === 'png') {
        expect(meta.hasAlpha).toBe(true);
        expect(meta.channels).toBe(4);
        for (const c of corners) expect(c[3], 'transparent corner').toBe(0);
        expect(maxAlpha, 'the package itself is opaque').toBe(255);
      } else {
        expect(meta.hasAlpha).toBe(false);
        for (const c of corners) for (const v of c) expect(v, 'white corner').toBeGreaterThanOrEqual(245);
      }
    }
    expect(checked.size).toBeGreaterThan(4);
  });

  it('changes nothing when run again with the same seed', async () => {
    const before = await db.sql<
      { gtin14: string; updated_at: Date }[]
    >`select gtin14, updated_at from products order by gtin14`;
    const imagesBefore = await db.sql`select * from product_images order by gtin14, variant`;
    const r = await seedCatalog(db.sql, blobs, { products: N, seed: SEED });
    expect(r.products).toEqual({ inserted: 0, updated: 0, unchanged: N });
    expect(r.images.inserted + r.images.updated).toBe(0);
    expect(await db.sql`select gtin14, updated_at from products order by gtin14`).toEqual(before);
    expect(await db.sql`select * from product_images order by gtin14, variant`).toEqual(imagesBefore);
  });
});

describe('product write repository', () => {
  it('bumps updated_at only for products that changed, and keeps hechsher_symbols in step', async () => {
    const [a, b] = generateCatalog(SEED, 2).map((g) => g.input);
    const [before] = await db.sql<{ updated_at: Date }[]>`select updated_at from products where barcode = ${b.barcode}`;
    const changed = {
      ...a,
      product_name: `${a.product_name} (new recipe)`,
      hechshers: [
        ...a.hechshers,
        {
          symbol: 'Star-K',
          org: 'STAR-K Kosher Certification',
          dairy_meat_pareve: a.hechshers[0].dairy_meat_pareve,
          dairy_equipment: false,
          passover: a.kosher_for_passover,
          qualifiers: [],
        },
      ],
    };
    const r = await upsertProducts(db.sql, [changed, b]);
    expect(r).toEqual({ inserted: 0, updated: 1, unchanged: 1 });
    const rows = await db.sql<
      { barcode: string; product_name: string; hechsher_symbols: string[]; updated_at: Date; created_at: Date }[]
    >`
      select barcode, product_name, hechsher_symbols, updated_at, created_at from products where barcode in (${a.barcode}, ${b.barcode})`;
    const ra = rows.find((x) => x.barcode === a.barcode)!;
    const rb = rows.find((x) => x.barcode === b.barcode)!;
    expect(ra.product_name).toBe(changed.product_name);
    expect(ra.hechsher_symbols.at(-1)).toBe('Star-K');
    expect(ra.updated_at.getTime()).toBeGreaterThan(ra.created_at.getTime());
    expect(rb.updated_at).toEqual(before.updated_at);
  });

  it('finds the same product whatever zero-padding the barcode is given with', async () => {
    const upc = generateCatalog(SEED, N)
      .map((g) => g.input)
      .find((p) => p.barcode.length === 12)!;
    const r = await upsertProducts(db.sql, [{ ...upc, barcode: `00${upc.barcode}` }]);
    expect(r.inserted).toBe(0);
    const [{ n }] = await db.sql<{ n: number }[]>`select count(*)::int as n from products`;
    expect(n).toBe(N);
    await upsertProducts(db.sql, [upc]); // back to the catalog's printed form
  });

  it('rejects invalid barcodes with a clear message and writes nothing', async () => {
    const [p] = generateCatalog(SEED, 1).map((g) => g.input);
    const wrongCheck = p.barcode.slice(0, -1) + String((Number(p.barcode.at(-1)) + 1) % 10);
    await expect(upsertProducts(db.sql, [{ ...p, barcode: wrongCheck }])).rejects.toThrow(
      /invalid barcode .*wrong check digit/,
    );
    await expect(upsertProducts(db.sql, [{ ...p, barcode: '12ab' }])).rejects.toThrow(
      /invalid barcode "12ab": must be 8 to 14 digits/,
    );
    await expect(upsertProducts(db.sql, [p, p])).rejects.toThrow(/appears twice/);
    await expect(upsertProducts(db.sql, [{ ...p, brand: ' ' }])).rejects.toThrow(/brand must be a non-empty string/);
    const [{ n }] = await db.sql<{ n: number }[]>`select count(*)::int as n from products`;
    expect(n).toBe(N);
  });

  it('upserts image records, bumping the product on a real change only', async () => {
    const [row] = await db.sql<
      (ImageRowDb & {
        photo_date: string | null;
        upload_date: Date;
        uploaded_by: string | null;
        source_batch: string | null;
      })[]
    >`
      select gtin14, variant, format, content_type, width, height, file_size_bytes, sha256, blob_key,
        to_char(photo_date, 'YYYY-MM-DD') as photo_date, upload_date, uploaded_by, source_batch
      from product_images where variant = 'front' order by gtin14 limit 1`;
    const image = {
      ...row,
      variant: 'front' as const,
      format: row.format as 'jpeg',
      content_type: row.content_type as 'image/jpeg',
    };
    const stamp = async () =>
      (await db.sql<{ updated_at: Date }[]>`select updated_at from products where gtin14 = ${row.gtin14}`)[0]
        .updated_at;
    const t0 = await stamp();
    expect(await upsertImages(db.sql, [{ gtin14: row.gtin14, image }])).toEqual({
      inserted: 0,
      updated: 0,
      unchanged: 1,
    });
    expect(await stamp()).toEqual(t0);
    expect(
      await upsertImages(db.sql, [{ gtin14: row.gtin14, image: { ...image, uploaded_by: 'Someone Else' } }]),
    ).toEqual({ inserted: 0, updated: 1, unchanged: 0 });
    expect((await stamp()).getTime()).toBeGreaterThan(t0.getTime());
    await expect(upsertImages(db.sql, [{ gtin14: '00000000000000', image }])).rejects.toThrow(/does not exist/);
    await expect(upsertImages(db.sql, [{ gtin14: row.gtin14, image: { ...image, format: 'png' } }])).rejects.toThrow(
      /format and content_type/,
    );
  });
});
