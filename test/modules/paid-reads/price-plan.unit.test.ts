// The pricing rule of a paid read without a database: records + plan + rates + caller -> outcomes and lines.
import { describe, expect, it } from 'vitest';
import type { Pricing } from '../../../src/modules/billing/pricing.service.ts';
import type { ImageRecord, ProductRecord, Variant } from '../../../src/modules/catalog/product.types.ts';
import { pricePlan } from '../../../src/modules/paid-reads/price-plan.ts';
import { PlanBuilder } from '../../../src/modules/paid-reads/read-plan.ts';

const pricing: Pricing = {
  rates: {
    'products.get': 5000n,
    'products.get.per_image': 8000n,
    'products.head': 1000n,
    'products.bulk_check': 200n,
    'products.list': 0n,
  },
  updatedAt: new Date(0),
};
const everyone = { scope: { brands: null, ownerships: null } };

function record(gtin14: string, brand: string, variants: Variant[]): ProductRecord {
  const images: Partial<Record<Variant, ImageRecord>> = {};
  for (const v of variants) images[v] = { variant: v, blob_key: `blob-${gtin14}-${v}` } as ImageRecord;
  return { gtin14, meta: { barcode: gtin14.slice(1), brand, ownership: 'studio' } as ProductRecord['meta'], images };
}

const A = '00000000000017',
  B = '00000000000024',
  C = '00000000000031';
const records = new Map<string, ProductRecord | null>([
  [A, record(A, 'Osem', ['front', 'back'])],
  [B, record(B, 'Elite', [])],
  [C, null],
]);

describe('pricePlan', () => {
  it('bills each scope and each existing image once; absent products and variants are free', () => {
    const b = new PlanBuilder();
    b.product(A).productMeta = true;
    b.image(A, { variant: 'front', size: 'small', format: 'webp' });
    b.image(A, { variant: 'front_clean', size: 'small', format: 'webp' }); // does not exist: free
    b.product(C).productMeta = true; // absent: free
    const p = pricePlan(records, b.build(), pricing, everyone);
    expect(p.lines.map((l) => `${l.action}:${l.scope ?? l.variant}`)).toEqual([
      'products.get:product_meta',
      'products.get.per_image:front',
    ]);
    expect(p.total).toBe(13000n);
    expect(p.products.get(A)!.status).toBe('ok');
    expect(p.products.get(C)!.status).toBe('not_found');
  });

  it('a product with nothing paid selected bills products.head; out-of-scope products are free', () => {
    const b = new PlanBuilder();
    b.product(A);
    b.product(B).imageMeta = true;
    const p = pricePlan(records, b.build(), pricing, { scope: { brands: ['osem'], ownerships: null } });
    expect(p.lines.map((l) => l.action)).toEqual(['products.head']);
    expect(p.products.get(B)!.status).toBe('out_of_scope');
    expect(p.total).toBe(1000n);
  });

  it('images-only wants without any existing variant are variant_not_available, and free', () => {
    const b = new PlanBuilder();
    const w = b.product(B);
    w.imagesOnly = true;
    b.image(B, { variant: 'front', size: 'original', format: 'original' });
    const p = pricePlan(records, b.build(), pricing, everyone);
    expect(p.products.get(B)!.status).toBe('variant_not_available');
    expect(p.total).toBe(0n);
  });

  it('bulk-check bills every distinct barcode, found or not, on one line; out-of-scope ones are free', () => {
    const b = new PlanBuilder();
    for (const g of [A, B, C]) b.bulkCheck(g);
    const p = pricePlan(records, b.build(), pricing, { scope: { brands: ['Osem'], ownerships: null } });
    expect(p.lines).toHaveLength(1);
    expect(p.lines[0]).toMatchObject({ action: 'products.bulk_check', units: 2, amount: 400 });
    expect(p.bulk.get(A)).toEqual({ status: 'ok', exists: true, variants: ['front', 'back'] });
    expect(p.bulk.get(B)!.status).toBe('out_of_scope');
    expect(p.bulk.get(C)).toEqual({ status: 'ok', exists: false, variants: [] });
    expect(p.total).toBe(400n);
  });
});
