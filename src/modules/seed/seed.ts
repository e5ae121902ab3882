// Seeds the catalog: generates products in batches, renders (or reuses) their package images, stores the
// bytes in the blob store, and upserts products and image records, one transaction per batch. Running it
// again with the same seed changes nothing (same rows, same blobs, no updated_at bumps).
import type { BlobStore } from '../../platform/blobs/blob-store.ts';
import type { Sql } from '../../platform/db/client.ts';
import { type ImageRow, type UpsertCounts, upsertImages, upsertProducts } from '../catalog/index.ts';
import { CatalogGenerator, type GeneratedProduct, type GeneratorOptions } from './generator.ts';
import { ImagePool } from './images.ts';

/** @internal Exported for its tests. */
export interface SeedProgress {
  /** Products written so far. */
  done: number;
  total: number;
  /** Distinct image templates rendered and stored so far. */
  templates: number;
}

export interface SeedOptions {
  products: number;
  seed: number | string;
  batchSize?: number;
  onProgress?: (p: SeedProgress) => void;
  /** Pinned barcodes and a picture stamp (GeneratorOptions). */
  generator?: GeneratorOptions;
}

export interface SeedResult {
  products: UpsertCounts;
  images: UpsertCounts;
  /** Distinct image templates (each is four blobs). */
  templates: number;
}

const add = (a: UpsertCounts, b: UpsertCounts): UpsertCounts => ({
  inserted: a.inserted + b.inserted,
  updated: a.updated + b.updated,
  unchanged: a.unchanged + b.unchanged,
});

function imageRows(batch: GeneratedProduct[], pool: ImagePool): ImageRow[] {
  return batch.flatMap((p) => {
    if (p.images.length === 0) return [];
    const stored = pool.images(p.template);
    return p.images.map((g) => ({
      gtin14: p.gtin14,
      image: {
        ...stored[g.variant],
        variant: g.variant,
        photo_date: g.photo_date,
        upload_date: g.upload_date,
        uploaded_by: g.uploaded_by,
        source_batch: g.source_batch,
      },
    }));
  });
}

export async function seedCatalog(sql: Sql, blobs: BlobStore, opts: SeedOptions): Promise<SeedResult> {
  const total = opts.products;
  const batchSize = opts.batchSize ?? 1000;
  if (!Number.isInteger(total) || total < 0) throw new Error(`products must be a non-negative integer, got ${total}`);
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw new Error(`batchSize must be a positive integer, got ${batchSize}`);
  const gen = new CatalogGenerator(opts.seed, opts.generator);
  const pool = new ImagePool(blobs);
  let products: UpsertCounts = { inserted: 0, updated: 0, unchanged: 0 };
  let images: UpsertCounts = { ...products };
  let done = 0;
  const report = () => opts.onProgress?.({ done, total, templates: pool.rendered });

  // The first batches meet most templates; report each one so a progress bar does not sit still.
  const prepare = (b: GeneratedProduct[]) =>
    pool.prepare(
      b.filter((p) => p.images.length > 0).map((p) => p.template),
      report,
    );
  let batch = gen.take(Math.min(batchSize, total));
  let prepared = prepare(batch);
  while (batch.length > 0) {
    await prepared;
    const rows = imageRows(batch, pool);
    const current = batch;
    // Render the next batch's new templates while this one is written: the two use different resources.
    batch = done + current.length < total ? gen.take(Math.min(batchSize, total - done - current.length)) : [];
    prepared = prepare(batch);
    const write = sql.begin(async (tx) => [
      await upsertProducts(
        tx,
        current.map((p) => p.input),
      ),
      await upsertImages(tx, rows),
    ]);
    // Wait for both even when one fails, so no rendering is left running after we return.
    const [w, r] = await Promise.allSettled([write, prepared]);
    if (w.status === 'rejected') throw w.reason;
    if (r.status === 'rejected') throw r.reason;
    const [pc, ic] = w.value;
    products = add(products, pc);
    images = add(images, ic);
    done += current.length;
    report();
  }
  // Fresh statistics, so the planner does not guess from an empty table (it over-estimated image rows per
  // product by 100x right after a bulk load, before autovacuum got to it).
  await sql`/* seedAnalyze */ analyze products, product_images`;
  return { products, images, templates: pool.rendered };
}
