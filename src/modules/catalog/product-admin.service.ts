// The operator's product upsert (PUT /admin/v1/products/{barcode}): barcode rules here, the write in the
// catalog's write repository (shared with the seed), so both paths store products the same way.

import { AppError } from '../../kernel/errors.ts';
import type { Sql } from '../../platform/db/client.ts';
import { parseBarcode } from './gtin.ts';
import { productsByGtin } from './product.repository.ts';
import type { ProductInput, ProductRecord } from './product.types.ts';
import { upsertProducts } from './product-write.repository.ts';

export type UpsertOutcome = 'inserted' | 'updated' | 'unchanged';

export class ProductAdminService {
  constructor(private readonly sql: Sql) {}

  /** The GTIN-14 of a barcode, or 400 invalid_barcode. */
  gtin14(barcode: string): string {
    const parsed = parseBarcode(barcode);
    if (!parsed.ok) {
      throw new AppError(
        'invalid_barcode',
        parsed.reason === 'format' ? 'A barcode is 8 to 14 digits.' : "The barcode's GS1 check digit is wrong.",
      );
    }
    return parsed.gtin14;
  }

  async upsert(
    barcode: string,
    meta: Omit<ProductInput, 'barcode'>,
  ): Promise<{ gtin14: string; outcome: UpsertOutcome }> {
    const gtin14 = this.gtin14(barcode);
    const counts = await upsertProducts(this.sql, [{ ...meta, barcode }]);
    const outcome: UpsertOutcome = counts.inserted ? 'inserted' : counts.updated ? 'updated' : 'unchanged';
    return { gtin14, outcome };
  }

  /** One product as stored (meta and images), or null. */
  async read(barcode: string): Promise<ProductRecord | null> {
    const gtin14 = this.gtin14(barcode);
    return (await productsByGtin(this.sql, [gtin14])).get(gtin14) ?? null;
  }
}
