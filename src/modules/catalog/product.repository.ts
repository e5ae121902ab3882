// Catalog reads for the paid path: every product of a plan with its images, in one statement.
import type { Sql } from '../../platform/db/client.ts';
import { sqlStatement, traced } from '../../platform/db/traced.ts';
import type { ImageRecord, ProductMeta, ProductRecord, Variant } from './product.types.ts';

interface Row extends Omit<ProductMeta, 'allergens'> {
  gtin14: string;
  allergens: string[];
  images: (Omit<ImageRecord, 'upload_date'> & { upload_date: string })[] | null;
}

const LOOKUP = sqlStatement('productsByGtin');

export async function productsByGtin(sql: Sql, gtins: readonly string[]): Promise<Map<string, ProductRecord>> {
  const out = new Map<string, ProductRecord>();
  if (gtins.length === 0) return out;
  const rows = await traced(
    LOOKUP,
    () => sql<Row[]>`/* productsByGtin */
    select p.gtin14, p.barcode, p.brand, p.product_name, p.product_description, p.net_weight, p.category, p.bracha,
           p.kosher_for_passover, p.hechshers, p.ingredients, p.allergens, p.nutrition_facts, p.ownership, p.updated_at,
           (select json_agg(json_build_object(
                     'variant', i.variant, 'format', i.format, 'content_type', i.content_type, 'width', i.width,
                     'height', i.height, 'file_size_bytes', i.file_size_bytes, 'sha256', i.sha256, 'blob_key', i.blob_key,
                     'photo_date', to_char(i.photo_date, 'YYYY-MM-DD'), 'upload_date', i.upload_date,
                     'uploaded_by', i.uploaded_by, 'source_batch', i.source_batch))
              from product_images i where i.gtin14 = p.gtin14) as images
    from products p
    where p.gtin14 = any(${gtins as string[]}::char(14)[])`,
  );
  for (const r of rows) {
    const images: Partial<Record<Variant, ImageRecord>> = {};
    for (const i of r.images ?? []) images[i.variant] = { ...i, upload_date: new Date(i.upload_date) };
    const { gtin14, images: _images, ...meta } = r;
    out.set(gtin14, { gtin14, meta, images });
  }
  return out;
}
