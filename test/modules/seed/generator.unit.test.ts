// The catalog generator: deterministic, valid barcodes, and labels that agree with their ingredients.
// The checks below re-derive facts from the printed text with their own rules, independent of the
// generator's ingredient tags, the way a reviewer of the data would.
import { describe, expect, it } from 'vitest';
import { displayForm, parseBarcode } from '../../../src/modules/catalog/gtin.ts';
import { PASSOVER_SYMBOL_RE } from '../../../src/modules/seed/agencies.ts';
import { CATEGORIES } from '../../../src/modules/seed/catalog-data.ts';
import { generateCatalog } from '../../../src/modules/seed/generator.ts';
import { netContents } from '../../../src/modules/seed/label.ts';

const N = 3000;
const catalog = generateCatalog(42, N);
const products = catalog.map((g) => g.input);

const EXPECTED_BRACHA: Record<string, string | null> = {
  Bread: 'hamotzi',
  Matzah: 'hamotzi',
  Cookies: 'mezonos',
  Crackers: 'mezonos',
  Cake: 'mezonos',
  Wine: 'hagafen',
  'Grape Juice': 'hagafen',
  Fruit: 'haetz',
  Vegetables: 'haadama',
  'Potato Chips': 'haadama',
  Beverages: 'shehakol',
  Candy: 'shehakol',
  Dairy: 'shehakol',
  'Deli & Meat': 'shehakol',
  Fish: 'shehakol',
  Snacks: 'shehakol',
  Condiments: null,
  Spices: null,
};

// What an ingredient list says, read with plain word rules.
const SAYS: Record<string, RegExp> = {
  milk: /\b(milk|whey|butter|cream|cheese)\b/i,
  eggs: /\beggs?\b/i,
  fish: /\b(tuna|salmon|whitefish|pike|herring)\b/i,
  'tree nuts': /\b(almonds?|hazelnuts?|walnuts?|pecans?|cashews?|pistachios?)\b/i,
  peanuts: /\bpeanuts?\b/i,
  wheat: /\bwheat\b/i,
  soy: /\bsoy/i,
  sesame: /\bsesame\b/i,
};
const MEAT = /\b(beef|chicken|turkey|veal|lamb)\b/i;
const CHAMETZ_OR_KITNIYOT =
  /enriched wheat flour|whole wheat flour|\brye\b|\boats\b|\bcorn\b|soy|sesame|peanut|chickpea|canola|sunflower/i;
const HEBREW = /[\u0590-\u05FF]/;

describe('catalog generator', () => {
  it('is deterministic for a seed, and a smaller run is a prefix of a larger one', () => {
    expect(generateCatalog(42, 200)).toEqual(catalog.slice(0, 200));
    expect(generateCatalog('42', 50)).toEqual(catalog.slice(0, 50));
    const other = generateCatalog(43, 50).map((g) => g.input.barcode);
    expect(other).not.toEqual(products.slice(0, 50).map((p) => p.barcode));
  });

  it('prints valid, unique barcodes in UPC-A, EAN-13 and EAN-8 forms', () => {
    const lengths = new Map<number, number>();
    for (const g of catalog) {
      const parsed = parseBarcode(g.input.barcode);
      expect(parsed, g.input.barcode).toEqual({ ok: true, gtin14: g.gtin14 });
      // The printed form is the standard one for its GTIN, so two forms never name one product.
      expect(g.input.barcode).toBe(displayForm(g.gtin14));
      lengths.set(g.input.barcode.length, (lengths.get(g.input.barcode.length) ?? 0) + 1);
    }
    expect(new Set(catalog.map((g) => g.gtin14)).size).toBe(N);
    expect(new Set(products.map((p) => p.barcode)).size).toBe(N);
    expect([...lengths.keys()].sort((a, b) => a - b)).toEqual([8, 12, 13]);
    for (const n of lengths.values()) expect(n).toBeGreaterThan(N * 0.02);
  });

  it('gives every category its bracha, and some products none', () => {
    for (const p of products) {
      expect(Object.keys(EXPECTED_BRACHA), `category ${p.category}`).toContain(p.category);
      expect(p.bracha, `${p.product_name} (${p.category})`).toBe(EXPECTED_BRACHA[p.category!]);
    }
    expect(products.some((p) => p.bracha === null)).toBe(true);
    expect(new Set(products.map((p) => p.category)).size).toBe(Object.keys(CATEGORIES).length);
  });

  it('lists exactly the allergens its ingredients contain', () => {
    for (const p of products) {
      const said = Object.keys(SAYS).filter((a) => SAYS[a].test(p.ingredients ?? ''));
      expect([...p.allergens].sort(), `${p.product_name}: ${p.ingredients}`).toEqual(said.sort());
    }
  });

  it('certifies milk ingredients as dairy, meat as meat, and the rest as pareve', () => {
    for (const p of products) {
      const ing = p.ingredients ?? '';
      const want = MEAT.test(ing) ? 'meat' : SAYS.milk.test(ing) ? 'dairy' : 'pareve';
      expect(p.hechshers.length, p.product_name).toBeGreaterThan(0);
      for (const h of p.hechshers) {
        expect(h.dairy_meat_pareve, `${p.product_name} ${h.symbol}`).toBe(want);
        if (want === 'dairy' && !h.passover) expect(h.symbol).toMatch(/-D$|^Star-D$|חלבי$/);
        if (want === 'meat') expect(h.symbol).toMatch(/-Meat$|בשרי$/);
        if (want === 'pareve') expect(h.symbol).not.toMatch(/-D$|^Star-D$|חלבי$|-Meat$|בשרי$/);
        if (h.dairy_equipment) expect(h.symbol).toMatch(/-DE$/);
        if (want === 'meat' && h.qualifiers.length) expect(h.qualifiers).not.toContain('chalav_yisrael');
      }
      expect(p.hechshers.map((h) => h.symbol)).toEqual([...new Set(p.hechshers.map((h) => h.symbol))]);
    }
    expect(products.some((p) => p.hechshers.some((h) => h.symbol === 'OU-D'))).toBe(true);
    expect(products.some((p) => p.hechshers.some((h) => h.dairy_equipment))).toBe(true);
  });

  it('marks Passover products with a Passover seal, and never one with chametz or kitniyot', () => {
    const kfp = products.filter((p) => p.kosher_for_passover);
    expect(kfp.length).toBeGreaterThan(0);
    for (const p of products) {
      expect(
        p.hechshers.some((h) => h.passover),
        p.product_name,
      ).toBe(p.kosher_for_passover);
      for (const h of p.hechshers) {
        expect(h.passover).toBe(PASSOVER_SYMBOL_RE.test(h.symbol));
        if (h.passover) expect(h.symbol).toMatch(/-P$|כשר לפסח$/);
      }
    }
    for (const p of kfp) expect(p.ingredients, p.product_name).not.toMatch(CHAMETZ_OR_KITNIYOT);
    expect(kfp.some((p) => p.hechshers.some((h) => h.symbol === 'OU-P'))).toBe(true);
    expect(products.filter((p) => p.category === 'Matzah').every((p) => p.kosher_for_passover)).toBe(true);
  });

  it('prints nutrition facts that add up', () => {
    let checked = 0;
    for (const p of products) {
      const n = p.nutrition_facts;
      if (p.category === 'Wine') {
        expect(n).toBeNull();
        continue;
      }
      expect(n, p.product_name).not.toBeNull();
      if (!n) continue;
      checked++;
      const computed = 9 * n.total_fat_g! + 4 * n.total_carbohydrate_g! + 4 * n.protein_g!;
      expect(Math.abs(n.calories! - computed), `${p.product_name}: ${JSON.stringify(n)}`).toBeLessThanOrEqual(5);
      expect(n.saturated_fat_g!).toBeLessThanOrEqual(n.total_fat_g!);
      expect(n.dietary_fiber_g! + n.total_sugars_g!).toBeLessThanOrEqual(n.total_carbohydrate_g!);
      expect(n.added_sugars_g!).toBeLessThanOrEqual(n.total_sugars_g!);
      if (!/sugar|syrup|honey/i.test(p.ingredients ?? '')) expect(n.added_sugars_g).toBe(0);
      const animal =
        SAYS.milk.test(p.ingredients!) ||
        SAYS.eggs.test(p.ingredients!) ||
        SAYS.fish.test(p.ingredients!) ||
        MEAT.test(p.ingredients!);
      if (!animal) expect(n.cholesterol_mg, p.product_name).toBe(0);
      expect(n.serving_size).toMatch(/\(\d+(\.\d+)?(g|mL)/);
      expect(n.servings_per_container).toMatch(/^(about )?\d+$/);
    }
    expect(checked).toBeGreaterThan(N * 0.8);
  });

  it('prints net weights as on a label', () => {
    const cookies = CATEGORIES.cookies;
    expect(netContents(cookies, 20, false, false).text).toBe('Net Wt 20 oz (1 lb 4 oz) 567g');
    expect(netContents(cookies, 8, false, false).text).toBe('Net Wt 8 oz 227g');
    expect(netContents(CATEGORIES.grape_juice, 1892, false, false).text).toBe('64 FL OZ (1.89 L)');
    expect(netContents(CATEGORIES.wine, 750, false, true).text).toBe('750 mL');
    for (const p of products) expect(p.net_weight).toMatch(/^Net Wt |FL OZ|mL$|L$/);
  });

  it('includes Hebrew names, several studios, and products missing some or all photos', () => {
    expect(products.some((p) => HEBREW.test(p.brand) && HEBREW.test(p.product_name))).toBe(true);
    expect(products.some((p) => p.brand === 'Osem אסם')).toBe(true);
    expect(products.some((p) => p.hechshers.some((h) => HEBREW.test(h.symbol)))).toBe(true);
    const studios = new Set(products.map((p) => p.ownership));
    for (const s of ['Lens & Label Studio', 'Kosher Shots NYC', 'Tel Aviv Product Lab']) expect(studios).toContain(s);

    const counts = catalog.map((g) => g.images.length);
    expect(counts.filter((c) => c === 4).length).toBeGreaterThan(N * 0.7);
    expect(counts.some((c) => c > 0 && c < 4)).toBe(true);
    expect(counts.some((c) => c === 0)).toBe(true);
    for (const g of catalog) {
      if (g.images.length) expect(g.images[0].variant).toBe('front');
      expect(new Set(g.images.map((i) => i.variant)).size).toBe(g.images.length);
      for (const i of g.images) {
        expect(i.photo_date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
        expect(i.upload_date.getTime()).toBeGreaterThan(Date.parse(i.photo_date));
      }
    }
  });
});
