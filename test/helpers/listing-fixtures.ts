// Catalog fixtures for the listing tests, written with the real write repository (no HTTP, no bytes:
// listing reads only the image rows, so blob keys can be anything).
import { randomBytes, randomInt } from 'node:crypto';
import type { Sql } from '../../src/platform/db/client.ts';
import { withCheckDigit, toGtin14 } from '../../src/modules/catalog/gtin.ts';
import { upsertImages, upsertProducts } from '../../src/modules/catalog/product-write.repository.ts';
import type { ImageRecord, ProductInput, Variant } from '../../src/modules/catalog/product.types.ts';

export const tag = () => randomBytes(4).toString('hex');

/** A random valid barcode of `digits` digits (8, 12, 13 or 14). */
export function barcode(digits = 12): string {
  let body = String(randomInt(1, 9));
  while (body.length < digits - 1) body += String(randomInt(0, 10));
  return withCheckDigit(body);
}

export function product(over: Partial<ProductInput> = {}): ProductInput {
  return {
    barcode: barcode(),
    brand: `Brand ${tag()}`,
    product_name: `Product ${tag()}`,
    product_description: null,
    net_weight: null,
    category: null,
    bracha: null,
    kosher_for_passover: false,
    hechshers: [],
    ingredients: null,
    allergens: [],
    nutrition_facts: null,
    ownership: 'Studio A',
    ...over,
  };
}

export function hechsher(symbol: string) {
  return {
    symbol,
    org: 'Test Org',
    dairy_meat_pareve: 'pareve' as const,
    dairy_equipment: false,
    passover: false,
    qualifiers: [],
  };
}

export async function insertProducts(sql: Sql, products: ProductInput[]): Promise<ProductInput[]> {
  await upsertProducts(sql, products);
  return products;
}

export async function addImages(sql: Sql, barcodeOf: string, variants: Variant[]): Promise<void> {
  const gtin14 = toGtin14(barcodeOf)!;
  await upsertImages(
    sql,
    variants.map((variant) => {
      const png = variant.endsWith('_clean');
      const image: ImageRecord = {
        variant,
        format: png ? 'png' : 'jpeg',
        content_type: png ? 'image/png' : 'image/jpeg',
        width: 1000,
        height: 1000,
        file_size_bytes: 1234,
        sha256: randomBytes(32).toString('hex'),
        blob_key: `test/${gtin14}/${variant}`,
        photo_date: null,
        upload_date: new Date(),
        uploaded_by: 'test',
        source_batch: null,
      };
      return { gtin14, image };
    }),
  );
}
