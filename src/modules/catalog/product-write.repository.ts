// The write side of the catalog: batch upserts of products and their image records, used by the seed and
// the admin API. Rows are keyed by the GTIN-14 normal form; a row whose values did not change is left
// untouched, so `updated_at` (which drives `updated_since` syncs) moves only on a real change.
// Each batch is sent as one JSON parameter and expanded by jsonb_to_recordset: one round trip and one
// prepared statement whatever the batch size.
import type postgres from 'postgres';
import { parseBarcode } from './gtin.ts';
import { BRACHOS, DMP, type ImageRecord, type ProductInput, VARIANTS } from './product.types.ts';

/** A pool or a transaction: the seed writes each batch in a transaction, the admin API may not. */
export type Queryable = postgres.ISql<Record<string, never>>;

export interface UpsertCounts {
  inserted: number;
  updated: number;
  unchanged: number;
}

export interface ImageRow {
  gtin14: string;
  image: ImageRecord;
}

/** Throws a plain Error naming the product and the problem; PostgreSQL never sees an invalid row. */
function validateProduct(p: ProductInput, i: number): string {
  const where = `products[${i}]`;
  const bc = typeof p?.barcode === 'string' ? p.barcode : String(p?.barcode);
  const parsed = parseBarcode(bc);
  if (!parsed.ok) {
    throw new Error(
      parsed.reason === 'format'
        ? `${where}: invalid barcode "${bc}": must be 8 to 14 digits`
        : `${where}: invalid barcode "${bc}": wrong check digit`,
    );
  }
  const at = `${where} (barcode ${bc})`;
  for (const k of ['brand', 'product_name', 'ownership'] as const) {
    if (typeof p[k] !== 'string' || p[k].trim() === '') throw new Error(`${at}: ${k} must be a non-empty string`);
  }
  for (const k of ['product_description', 'net_weight', 'category', 'ingredients'] as const) {
    if (p[k] !== null && typeof p[k] !== 'string') throw new Error(`${at}: ${k} must be a string or null`);
  }
  if (p.bracha !== null && !(BRACHOS as readonly string[]).includes(p.bracha))
    throw new Error(`${at}: unknown bracha "${p.bracha}"`);
  if (typeof p.kosher_for_passover !== 'boolean') throw new Error(`${at}: kosher_for_passover must be a boolean`);
  if (!Array.isArray(p.allergens) || p.allergens.some((a) => typeof a !== 'string'))
    throw new Error(`${at}: allergens must be a list of strings`);
  if (!Array.isArray(p.hechshers)) throw new Error(`${at}: hechshers must be a list`);
  for (const h of p.hechshers) {
    if (
      typeof h?.symbol !== 'string' ||
      h.symbol === '' ||
      typeof h.org !== 'string' ||
      !(DMP as readonly string[]).includes(h.dairy_meat_pareve) ||
      typeof h.dairy_equipment !== 'boolean' ||
      typeof h.passover !== 'boolean' ||
      !Array.isArray(h.qualifiers)
    ) {
      throw new Error(
        `${at}: each hechsher needs symbol, org, dairy_meat_pareve (dairy|meat|pareve), dairy_equipment, passover, qualifiers`,
      );
    }
  }
  if (p.nutrition_facts !== null && (typeof p.nutrition_facts !== 'object' || Array.isArray(p.nutrition_facts))) {
    throw new Error(`${at}: nutrition_facts must be an object or null`);
  }
  // PostgreSQL text cannot hold NUL; say so here rather than as an encoding error from the server.
  if (JSON.stringify(p).includes('\\u0000')) throw new Error(`${at}: text must not contain NUL characters`);
  return parsed.gtin14;
}

/**
 * Inserts or updates products by GTIN-14. `hechsher_symbols` is derived from `hechshers` (label order,
 * no duplicates). Returns how many rows were inserted, changed, or already identical.
 */
export async function upsertProducts(sql: Queryable, inputs: ProductInput[]): Promise<UpsertCounts> {
  if (inputs.length === 0) return { inserted: 0, updated: 0, unchanged: 0 };
  const seen = new Set<string>();
  const rows = inputs.map((p, i) => {
    const gtin14 = validateProduct(p, i);
    // One statement cannot update the same row twice; a batch naming a product twice is a caller bug.
    if (seen.has(gtin14))
      throw new Error(`products[${i}]: barcode ${p.barcode} (GTIN ${gtin14}) appears twice in one batch`);
    seen.add(gtin14);
    return {
      gtin14,
      barcode: p.barcode,
      brand: p.brand,
      product_name: p.product_name,
      product_description: p.product_description,
      net_weight: p.net_weight,
      category: p.category,
      bracha: p.bracha,
      kosher_for_passover: p.kosher_for_passover,
      hechshers: p.hechshers,
      hechsher_symbols: [...new Set(p.hechshers.map((h) => h.symbol))],
      ingredients: p.ingredients,
      allergens: [...new Set(p.allergens)],
      nutrition_facts: p.nutrition_facts,
      ownership: p.ownership,
    };
  });
  const result = await sql<{ inserted: boolean }[]>`/* upsertProducts */
    insert into products as p (gtin14, barcode, brand, product_name, product_description, net_weight, category, bracha,
      kosher_for_passover, hechshers, hechsher_symbols, ingredients, allergens, nutrition_facts, ownership)
    select r.gtin14, r.barcode, r.brand, r.product_name, r.product_description, r.net_weight, r.category, r.bracha,
      r.kosher_for_passover, r.hechshers, r.hechsher_symbols, r.ingredients, r.allergens, r.nutrition_facts, r.ownership
    from jsonb_to_recordset(${sql.json(rows as unknown as postgres.JSONValue)}) as r(gtin14 text, barcode text, brand text, product_name text,
      product_description text, net_weight text, category text, bracha text, kosher_for_passover boolean, hechshers jsonb,
      hechsher_symbols text[], ingredients text, allergens text[], nutrition_facts jsonb, ownership text)
    on conflict (gtin14) do update set
      barcode = excluded.barcode, brand = excluded.brand, product_name = excluded.product_name,
      product_description = excluded.product_description, net_weight = excluded.net_weight, category = excluded.category,
      bracha = excluded.bracha, kosher_for_passover = excluded.kosher_for_passover, hechshers = excluded.hechshers,
      hechsher_symbols = excluded.hechsher_symbols, ingredients = excluded.ingredients, allergens = excluded.allergens,
      nutrition_facts = excluded.nutrition_facts, ownership = excluded.ownership, updated_at = now()
    where (p.barcode, p.brand, p.product_name, p.product_description, p.net_weight, p.category, p.bracha,
        p.kosher_for_passover, p.hechshers, p.hechsher_symbols, p.ingredients, p.allergens, p.nutrition_facts, p.ownership)
      is distinct from (excluded.barcode, excluded.brand, excluded.product_name, excluded.product_description,
        excluded.net_weight, excluded.category, excluded.bracha, excluded.kosher_for_passover, excluded.hechshers,
        excluded.hechsher_symbols, excluded.ingredients, excluded.allergens, excluded.nutrition_facts, excluded.ownership)
    returning (p.xmax = 0) as inserted`;
  const inserted = result.filter((r) => r.inserted).length;
  return { inserted, updated: result.length - inserted, unchanged: rows.length - result.length };
}

const SHA256_RE = /^[0-9a-f]{64}$/;
const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

function validateImage(r: ImageRow, i: number): void {
  const at = `images[${i}]`;
  if (typeof r?.gtin14 !== 'string' || !/^[0-9]{14}$/.test(r.gtin14))
    throw new Error(`${at}: gtin14 must be 14 digits`);
  const im = r.image;
  if (!(VARIANTS as readonly string[]).includes(im?.variant))
    throw new Error(`${at} (${r.gtin14}): unknown variant "${im?.variant}"`);
  const where = `${at} (${r.gtin14} ${im.variant})`;
  if (
    !(
      (im.format === 'jpeg' && im.content_type === 'image/jpeg') ||
      (im.format === 'png' && im.content_type === 'image/png')
    )
  ) {
    throw new Error(`${where}: format and content_type must be jpeg/image/jpeg or png/image/png`);
  }
  for (const k of ['width', 'height', 'file_size_bytes'] as const) {
    if (!Number.isInteger(im[k]) || im[k] <= 0) throw new Error(`${where}: ${k} must be a positive integer`);
  }
  if (!SHA256_RE.test(im.sha256)) throw new Error(`${where}: sha256 must be 64 lowercase hex digits`);
  if (typeof im.blob_key !== 'string' || im.blob_key === '') throw new Error(`${where}: blob_key is required`);
  if (im.photo_date !== null && !DATE_RE.test(im.photo_date))
    throw new Error(`${where}: photo_date must be YYYY-MM-DD or null`);
  if (!(im.upload_date instanceof Date) || Number.isNaN(im.upload_date.getTime()))
    throw new Error(`${where}: upload_date must be a valid Date`);
}

/**
 * Inserts or updates image records by (gtin14, variant); unchanged rows are not written. A real change moves
 * the product's `updated_at` through the product_images trigger (migration 0801), as for every other writer.
 */
export async function upsertImages(sql: Queryable, rows: ImageRow[]): Promise<UpsertCounts> {
  if (rows.length === 0) return { inserted: 0, updated: 0, unchanged: 0 };
  const seen = new Set<string>();
  const payload = rows.map((r, i) => {
    validateImage(r, i);
    const key = `${r.gtin14}/${r.image.variant}`;
    if (seen.has(key)) throw new Error(`images[${i}]: ${key} appears twice in one batch`);
    seen.add(key);
    const im = r.image;
    return {
      gtin14: r.gtin14,
      variant: im.variant,
      format: im.format,
      content_type: im.content_type,
      width: im.width,
      height: im.height,
      file_size_bytes: im.file_size_bytes,
      sha256: im.sha256,
      blob_key: im.blob_key,
      photo_date: im.photo_date,
      upload_date: im.upload_date.toISOString(),
      uploaded_by: im.uploaded_by,
      source_batch: im.source_batch,
    };
  });
  try {
    const [counts] = await sql<{ inserted: number; changed: number }[]>`/* upsertImages */
      with up as (
        insert into product_images as i (gtin14, variant, format, content_type, width, height, file_size_bytes, sha256,
          blob_key, photo_date, upload_date, uploaded_by, source_batch)
        select r.gtin14, r.variant, r.format, r.content_type, r.width, r.height, r.file_size_bytes, r.sha256,
          r.blob_key, r.photo_date, r.upload_date, r.uploaded_by, r.source_batch
        from jsonb_to_recordset(${sql.json(payload as unknown as postgres.JSONValue)}) as r(gtin14 text, variant text, format text,
          content_type text, width integer, height integer, file_size_bytes integer, sha256 text, blob_key text,
          photo_date date, upload_date timestamptz, uploaded_by text, source_batch text)
        on conflict (gtin14, variant) do update set
          format = excluded.format, content_type = excluded.content_type, width = excluded.width, height = excluded.height,
          file_size_bytes = excluded.file_size_bytes, sha256 = excluded.sha256, blob_key = excluded.blob_key,
          photo_date = excluded.photo_date, upload_date = excluded.upload_date, uploaded_by = excluded.uploaded_by,
          source_batch = excluded.source_batch
        where (i.format, i.content_type, i.width, i.height, i.file_size_bytes, i.sha256, i.blob_key, i.photo_date,
            i.upload_date, i.uploaded_by, i.source_batch)
          is distinct from (excluded.format, excluded.content_type, excluded.width, excluded.height,
            excluded.file_size_bytes, excluded.sha256, excluded.blob_key, excluded.photo_date, excluded.upload_date,
            excluded.uploaded_by, excluded.source_batch)
        returning i.gtin14, (i.xmax = 0) as inserted
      )
      select count(*) filter (where inserted)::int as inserted, count(*)::int as changed from up`;
    return {
      inserted: counts.inserted,
      updated: counts.changed - counts.inserted,
      unchanged: rows.length - counts.changed,
    };
  } catch (e) {
    if ((e as { code?: string }).code === '23503')
      throw new Error('upsertImages: an image refers to a product that does not exist');
    throw e;
  }
}
