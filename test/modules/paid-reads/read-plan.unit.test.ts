// Pure rules of the paid path: REST parameters -> plan (incl. the documented landmine), plan merging, and
// the cost formula with exact units.
import { describe, expect, it } from 'vitest';
import { unitsToNumber } from '../../../src/kernel/credits.ts';
import type { AppError } from '../../../src/kernel/errors.ts';
import { ChargeBuilder } from '../../../src/modules/billing/cost.ts';
import { parseProductQuery, planOf } from '../../../src/modules/paid-reads/product-query.ts';
import { PlanBuilder } from '../../../src/modules/paid-reads/read-plan.ts';

const B = '4006381333931';
const q = (s: string) => parseProductQuery(B, new URLSearchParams(s));

describe('REST query -> read plan', () => {
  it('omitted include = all three scopes and every variant at original size/format', () => {
    const plan = planOf(q(''));
    expect(plan.products[0]).toMatchObject({ productMeta: true, imageMeta: true, imagesOnly: false });
    expect(plan.products[0].images.map((i) => `${i.variant}/${i.size}/${i.format}`)).toEqual([
      'front/original/original',
      'back/original/original',
      'front_clean/original/original',
      'back_clean/original/original',
    ]);
  });

  it('the landmine: variants without include still means all three scopes (both metadata scopes billed)', () => {
    const w = planOf(q('variants=front')).products[0];
    expect(w).toMatchObject({ productMeta: true, imageMeta: true, imagesOnly: false });
    expect(w.images.map((i) => i.variant)).toEqual(['front']);
  });

  it('an explicit include is obeyed exactly, with or without variants', () => {
    const pm = planOf(q('include=product_meta&variants=front')).products[0];
    expect(pm).toMatchObject({ productMeta: true, imageMeta: false, images: [] });
    const im = planOf(q('include=image_meta&variants=back')).products[0];
    expect(im).toMatchObject({ productMeta: false, imageMeta: true, images: [] });
    expect([...q('include=image_meta&variants=back').scopes]).toEqual(['image_meta']);
    expect(q('include=image_meta&variants=back').variants).toEqual(['back']);
    const img = planOf(q('include=images&variants=back')).products[0];
    expect(img).toMatchObject({ productMeta: false, imageMeta: false, imagesOnly: true });
  });

  it('unknown values are 400 bad_request naming the value; barcodes say format vs check digit', () => {
    expect(() => q('include=images,nope')).toThrow(/"nope"/);
    expect(() => q('image_size=xl')).toThrow(/"xl"/);
    const e = (() => {
      try {
        parseProductQuery('4006381333932', new URLSearchParams());
      } catch (x) {
        return x as AppError;
      }
    })();
    expect(e).toMatchObject({ code: 'invalid_barcode' });
    expect(e!.message).toMatch(/check digit/);
    expect(() => parseProductQuery('12a45678', new URLSearchParams())).toThrow(/8 to 14 digits/);
  });
});

describe('plan merging and cost', () => {
  it('repeats merge: one want per product, one image per variant/size/format', () => {
    const b = new PlanBuilder();
    b.product('1').productMeta = true;
    b.product('1').productMeta = true;
    b.image('1', { variant: 'front', size: 'thumb', format: 'webp' });
    b.image('1', { variant: 'front', size: 'thumb', format: 'webp' });
    b.image('1', { variant: 'front', size: 'large', format: 'webp' });
    b.bulkCheck('2');
    b.bulkCheck('2');
    const plan = b.build();
    expect(plan.products).toHaveLength(1);
    expect(plan.products[0].images).toHaveLength(2);
    expect(plan.bulkCheck).toEqual(['2']);
    expect(b.barcodeCount).toBe(2);
  });

  it('prices exactly in units, no float drift', () => {
    const c = new ChargeBuilder({
      rates: {
        'products.get': 1n,
        'products.get.per_image': 3333n,
        'products.head': 500n,
        'products.bulk_check': 100n,
        'products.list': 0n,
      },
      updatedAt: new Date(),
    });
    for (let i = 0; i < 3; i++) c.add('products.get.per_image', { barcode: B, variant: 'front' });
    c.add('products.get', { barcode: B, scope: 'product_meta' });
    const { total, lines } = c.build();
    expect(total).toBe(10_000n);
    expect(unitsToNumber(total)).toBe(1);
    expect(lines.map((l) => l.amount)).toEqual([3333, 3333, 3333, 1]);
  });
});
