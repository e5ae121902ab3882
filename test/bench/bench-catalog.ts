// The benchmark's catalog, reset to one fixed state before every run: 25,000 products are seeded once into a
// template database `kc_bench_template` (blobs under .bench-data/ in the checkout), and each run drops
// `kc_bench` and creates it again as a file-level copy of the template (a second or two), so ledger, grant and
// idempotency rows of earlier runs never make runs incomparable. Migrations added since the template was
// seeded are applied to the copy; the PostGraphile peer's view is (re)created in it too.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { seedCatalog } from '../../src/modules/seed/seed.ts';
import { FsBlobStore } from '../../src/platform/blobs/fs-blob-store.ts';
import { createSql, type Sql } from '../../src/platform/db/client.ts';
import { migrate } from '../../src/platform/db/migrate.ts';

export const BENCH_PRODUCTS = 25_000;
const SEED = 7;
const TEMPLATE = 'kc_bench_template';
/** Written on the template database once its seed is complete: a half-seeded template is seeded again. */
const READY = `kc bench template v2 (only filled tables analyzed): ${BENCH_PRODUCTS} products, seed ${SEED}`;

export interface BenchCatalog {
  url: string;
  dataDir: string;
  sql: Sql;
  /** Printed barcodes of products that have a front image / any product. */
  withFront: string[];
  all: string[];
  /** How the state was fixed, for the report's header. */
  resetNote: string;
}

const dbUrl = (base: string, name: string) => {
  const u = new URL(base);
  u.pathname = `/${name}`;
  return u.toString();
};

async function ensureTemplate(baseUrl: string, dataDir: string, log: (m: string) => void): Promise<void> {
  const admin = createSql({ url: baseUrl, max: 1 });
  try {
    const [row] = await admin<{ note: string | null }[]>`
      select shobj_description(oid, 'pg_database') as note from pg_database where datname = ${TEMPLATE}`;
    // The template's image rows point at blob files under dataDir: without them, seed again.
    if (row?.note === READY && existsSync(path.join(dataDir, 'blobs'))) return;
    log(`seeding ${BENCH_PRODUCTS} products into ${TEMPLATE} (one-off; every later run copies it)…`);
    await admin.unsafe(`drop database if exists ${TEMPLATE} with (force)`);
    await admin.unsafe(`create database ${TEMPLATE}`);
    const sql = createSql({ url: dbUrl(baseUrl, TEMPLATE), max: 4 });
    try {
      const t0 = Date.now();
      await migrate(sql);
      await seedCatalog(sql, new FsBlobStore(path.join(dataDir, 'blobs')), { products: BENCH_PRODUCTS, seed: SEED });
      // Only the tables the seed filled. A table analyzed while empty gets statistics that say "0 rows": every
      // generic plan made from them (prepared statements, plpgsql) is a sequential scan, kept while the table
      // grows; with autovacuum off (as on this machine) nothing re-analyzes it, and the soak's per-request tables
      // (idempotency keys, ledger) decayed the API from ~480 to ~90 req/s in 40 s. Never-analyzed tables are
      // planned from their real size, as in a fresh deployment.
      const tables = await sql<{ t: string }[]>`
        select format('%I.%I', schemaname, tablename) as t from pg_tables where schemaname = current_schema()`;
      for (const { t } of tables)
        if ((await sql.unsafe(`select 1 from ${t} limit 1`)).length) await sql.unsafe(`vacuum analyze ${t}`);
      log(`seeded in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    } finally {
      await sql.end({ timeout: 1 });
    }
    await admin.unsafe(`comment on database ${TEMPLATE} is '${READY}'`);
  } finally {
    await admin.end({ timeout: 1 });
  }
}

export async function prepareCatalog(
  baseUrl: string,
  dataDir: string,
  log: (m: string) => void,
  peerSchemaSql: string,
  /** The per-run copy's name: other measurements (capacity.bench.ts) use their own, so runs never drop each other's. */
  name = 'kc_bench',
): Promise<BenchCatalog> {
  await ensureTemplate(baseUrl, dataDir, log);
  const t0 = Date.now();
  const admin = createSql({ url: baseUrl, max: 1 });
  try {
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.unsafe(`create database ${name} template ${TEMPLATE}`);
  } finally {
    await admin.end({ timeout: 1 });
  }
  const url = dbUrl(baseUrl, name);
  const sql = createSql({ url, max: 4, appName: 'kc-bench' });
  await migrate(sql);
  await sql.unsafe(peerSchemaSql);
  const resetNote =
    `${name} reset to a fixed state: dropped and created from ${TEMPLATE} (${BENCH_PRODUCTS} products, ` +
    `seed ${SEED}) in ${((Date.now() - t0) / 1000).toFixed(1)} s`;
  const all = (await sql<{ barcode: string }[]>`select barcode from products order by gtin14`).map((r) => r.barcode);
  const withFront = (
    await sql<{ barcode: string }[]>`
    select p.barcode from products p join product_images i on i.gtin14 = p.gtin14 and i.variant = 'front'
    order by p.gtin14`
  ).map((r) => r.barcode);
  return { url, dataDir, sql, all, withFront, resetNote };
}
