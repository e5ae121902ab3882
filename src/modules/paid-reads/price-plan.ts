// The pricing rule of a paid read, pure: the records that exist + the plan + the rates + the caller -> what
// each product's outcome is and which charge lines the request pays (docs/billing.md). No I/O, so every rule
// (absent data is free, out-of-scope is free, the images-only 404, head when nothing paid is selected) is
// unit-tested without a database (test/modules/paid-reads/price-plan.unit.test.ts).

import type { Units } from '../../kernel/credits.ts';
import type { Principal } from '../../kernel/principal.ts';
import { inScope } from '../auth/index.ts';
import type { LedgerLine, Pricing } from '../billing/index.ts';
import { ChargeBuilder } from '../billing/index.ts';
import type { ProductRecord, Variant } from '../catalog/index.ts';
import { VARIANTS } from '../catalog/index.ts';
import type { ReadPlan } from './read-plan.ts';

type ProductStatus = 'ok' | 'not_found' | 'out_of_scope' | 'variant_not_available';

export interface ProductOutcome {
  status: ProductStatus;
  /** Present when status is ok. */
  record: ProductRecord | null;
  /** imageKey -> signed URL, for the wanted images that exist (filled after the debit; empty on a quote). */
  urls: Map<string, string>;
}

export interface BulkOutcome {
  status: 'ok' | 'out_of_scope';
  exists: boolean;
  variants: Variant[];
}

export interface PricedPlan {
  products: Map<string, ProductOutcome>;
  bulk: Map<string, BulkOutcome>;
  lines: LedgerLine[];
  total: Units;
}

export const availableVariants = (r: ProductRecord): Variant[] => VARIANTS.filter((v) => r.images[v]);

/** `records` has an entry (null = absent) for every barcode of the plan. */
export function pricePlan(
  records: ReadonlyMap<string, ProductRecord | null>,
  plan: ReadPlan,
  pricing: Pricing,
  principal: Pick<Principal, 'scope'>,
): PricedPlan {
  const visible = (r: ProductRecord) => inScope(principal, { brand: r.meta.brand, ownership: r.meta.ownership });
  const charge = new ChargeBuilder(pricing);
  const products = new Map<string, ProductOutcome>();
  for (const want of plan.products) {
    const record = records.get(want.gtin14) ?? null;
    const outcome: ProductOutcome = { status: 'ok', record: null, urls: new Map() };
    products.set(want.gtin14, outcome);
    if (!record) {
      outcome.status = 'not_found';
      continue;
    }
    if (!visible(record)) {
      outcome.status = 'out_of_scope';
      continue;
    }
    const barcode = record.meta.barcode;
    const existing = want.images.filter((w) => record.images[w.variant]);
    if (want.imagesOnly && existing.length === 0) {
      outcome.status = 'variant_not_available';
      continue;
    }
    outcome.record = record;
    if (want.productMeta) charge.add('products.get', { barcode, scope: 'product_meta' });
    if (want.imageMeta) charge.add('products.get', { barcode, scope: 'image_meta' });
    for (const w of existing) {
      charge.add('products.get.per_image', { barcode, variant: w.variant, size: w.size, format: w.format });
    }
    if (!want.productMeta && !want.imageMeta && want.images.length === 0) charge.add('products.head', { barcode });
  }
  const bulk = new Map<string, BulkOutcome>();
  for (const g of plan.bulkCheck) {
    const record = records.get(g) ?? null;
    if (record && !visible(record)) {
      bulk.set(g, { status: 'out_of_scope', exists: false, variants: [] });
      continue;
    }
    bulk.set(g, { status: 'ok', exists: !!record, variants: record ? availableVariants(record) : [] });
    charge.add('products.bulk_check', { barcode: record?.meta.barcode ?? g });
  }
  const { lines, total } = charge.build();
  return { products, bulk, lines, total };
}
