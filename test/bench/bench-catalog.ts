// The benchmark's catalog: a dedicated database `kc_bench` on the configured server, seeded once with
// 25,000 products (reused by later runs), and its blobs under .bench-data/ in the checkout.
import path from 'node:path';
import { createSql, type Sql } from '../../src/db/client.ts';
import { migrate } from '../../src/db/migrate.ts';
import { FsBlobStore } from '../../src/blobs/fs-blob-store.ts';
import { seedCatalog } from '../../src/seed/seed.ts';

export const BENCH_PRODUCTS = 25_000;

export interface BenchCatalog {
  url: string;
  dataDir: string;
  sql: Sql;
  /** Printed barcodes of products that have a front image / any product. */
  withFront: string[];
  all: string[];
}

export async function prepareCatalog(
  baseUrl: string,
  dataDir: string,
  log: (m: string) => void,
): Promise<BenchCatalog> {
  const admin = createSql({ url: baseUrl, max: 1 });
  const exists = await admin`select 1 from pg_database where datname = 'kc_bench'`;
  if (!exists.length) await admin.unsafe('create database kc_bench');
  await admin.end();
  const u = new URL(baseUrl);
  u.pathname = '/kc_bench';
  const url = u.toString();
  const sql = createSql({ url, max: 4 });
  await migrate(sql);
  const [{ n }] = await sql<{ n: number }[]>`select count(*)::int as n from products`;
  if (n < BENCH_PRODUCTS) {
    log(`seeding ${BENCH_PRODUCTS} products into kc_bench (one-off; later runs reuse it)…`);
    const t0 = Date.now();
    await seedCatalog(sql, new FsBlobStore(path.join(dataDir, 'blobs')), { products: BENCH_PRODUCTS, seed: 7 });
    log(`seeded in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }
  const all = (await sql<{ barcode: string }[]>`select barcode from products`).map((r) => r.barcode);
  const withFront = (
    await sql<{ barcode: string }[]>`
    select p.barcode from products p join product_images i on i.gtin14 = p.gtin14 and i.variant = 'front'`
  ).map((r) => r.barcode);
  return { url, dataDir, sql, all, withFront };
}
