// The catalog cache's compact copy of a record (src/modules/catalog/record-compactor.ts): the same data, with repeated
// values shared between records and the shared ones frozen.
import { describe, expect, it } from 'vitest';
import type { ImageRecord, ProductRecord, Variant } from '../../../src/modules/catalog/product.types.ts';
import { RecordCompactor } from '../../../src/modules/catalog/record-compactor.ts';

// Fresh strings as the database driver returns them (never the same object as a literal).
const fresh = (s: string) => s.split('').join('');

function image(variant: Variant, sha: string, uploaded: string): ImageRecord {
  return {
    variant,
    format: 'jpeg',
    content_type: 'image/jpeg',
    width: 950,
    height: 1160,
    file_size_bytes: 41_947,
    sha256: sha,
    blob_key: fresh(sha),
    photo_date: fresh('2025-01-20'),
    upload_date: new Date(uploaded),
    uploaded_by: fresh('Ari Feldman'),
    source_batch: fresh('LLS-202502-B11'),
  };
}

function record(gtin14: string, name: string): ProductRecord {
  return {
    gtin14,
    meta: {
      barcode: gtin14.slice(2),
      brand: fresh('Shabbos Table'),
      product_name: name,
      product_description: fresh('Soft, sliced and baked fresh every morning.'),
      net_weight: fresh('Net Wt 20 oz (1 lb 4 oz) 567g'),
      category: fresh('Bread'),
      bracha: 'hamotzi',
      kosher_for_passover: false,
      hechshers: [
        {
          symbol: fresh('OU'),
          org: fresh('Orthodox Union'),
          dairy_meat_pareve: 'pareve',
          dairy_equipment: false,
          passover: false,
          qualifiers: [fresh('pas_yisrael')],
        },
      ],
      ingredients: fresh('Enriched wheat flour, water, yeast, salt, sugar.'),
      allergens: [fresh('wheat')],
      nutrition_facts: {
        serving_size: fresh('2 slices (56g)'),
        servings_per_container: fresh('about 10'),
        calories: 140,
        total_fat_g: 2,
        saturated_fat_g: 0,
        trans_fat_g: 0,
        cholesterol_mg: 0,
        sodium_mg: 250,
        total_carbohydrate_g: 26,
        dietary_fiber_g: 2,
        total_sugars_g: 3,
        added_sugars_g: 2,
        protein_g: 5,
        vitamin_d_mcg: 0,
        calcium_mg: 40,
        iron_mg: 1.1,
        potassium_mg: 30,
      },
      ownership: fresh('Lens & Label Studio'),
      updated_at: new Date('2026-11-30T05:25:50.283Z'),
    },
    images: {
      front: image('front', 'a'.repeat(64), '2025-02-05T08:44:42Z'),
      back: image('back', 'b'.repeat(64), '2025-02-05T08:44:42Z'),
    },
  };
}

describe('RecordCompactor', () => {
  it('keeps every value of the record', () => {
    const r = record('00891031442576', 'Pita Bread');
    const c = new RecordCompactor().compact(structuredClone(r));
    expect(c).toEqual(r);
    expect(Object.keys(c.meta).sort()).toEqual(Object.keys(r.meta).sort());
    expect(Object.keys(c.images.front!).sort()).toEqual(Object.keys(r.images.front!).sort());
  });

  it('shares repeated values between records and freezes what it shares', () => {
    const k = new RecordCompactor();
    const a = k.compact(record('00891031442576', 'Pita Bread'));
    const b = k.compact(record('00891031442583', 'Challah'));
    expect(b.meta.hechshers).toBe(a.meta.hechshers);
    expect(b.meta.allergens).toBe(a.meta.allergens);
    expect(Object.isFrozen(a.meta.hechshers)).toBe(true);
    expect(Object.isFrozen(a.meta.hechshers[0])).toBe(true);
    expect(Object.isFrozen(a.meta.allergens)).toBe(true);
    expect(() => (a.meta.allergens as string[]).push('milk')).toThrow();
    // One Date for a product's images uploaded together; the blob key that is the sha256 is one string.
    expect(a.images.back!.upload_date).toBe(a.images.front!.upload_date);
    expect(a.images.front!.blob_key).toBe(a.images.front!.sha256);
    // Records stay independent objects: a change to one (there is none in the code) could not reach another.
    expect(b.meta).not.toBe(a.meta);
    expect(b.meta.nutrition_facts).not.toBe(a.meta.nutrition_facts);
  });

  it('keeps at most a bounded number of shared values', () => {
    const k = new RecordCompactor();
    for (let i = 0; i < 30_000; i++) {
      const r = record('00891031442576', 'x');
      r.meta.brand = `brand ${i}`;
      r.meta.allergens = [`allergen ${i}`];
      k.compact(r);
    }
    expect(k.sharedValues).toBeLessThanOrEqual(3 * 20_000);
  });
});
