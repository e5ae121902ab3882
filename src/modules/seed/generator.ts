// The synthetic catalog: a deterministic stream of products for a seed. Product i depends only on the
// seed and the products before it, so `--products 50` is a prefix of `--products 25000` with the same seed.
// Every label field is derived from the ingredient list (see ingredients.ts), never chosen independently.
import type { Bracha, Hechsher, ProductInput, Variant } from '../catalog/index.ts';
import { parseBarcode, withCheckDigit } from '../catalog/index.ts';
import { AGENCIES, type Agency, type AgencyKey } from './agencies.ts';
import { BRANDS, type Brand, GS1_PREFIX, STUDIOS } from './brands.ts';
import { CATEGORIES, type CategoryKey, NAME_MODIFIERS, type Shape } from './catalog-data.ts';
import { ALLERGENS, INGREDIENTS, type IngredientDef } from './ingredients.ts';
import { netContents, nutritionFacts } from './label.ts';
import { fnv1a, Rng, seedNumber } from './random.ts';

/** What the package drawings are keyed by: several hundred distinct looks, shared by many products. */
export interface ImageTemplate {
  key: string;
  brand: string;
  brandHe?: string;
  label: string;
  labelHe?: string;
  shape: Shape;
  colors: [string, string];
  style: number;
  /** A word stamped across every picture (the sandbox catalog's "TEST"); part of the key, so never shared. */
  stamp?: string;
}

export interface GeneratorOptions {
  /**
   * Barcodes given, in order, to the first products instead of generated ones: the seed's sample barcode
   * (017000161563) is in the demo catalog and the sandbox, so the documentation's snippets run as printed.
   */
  barcodes?: string[];
  /** Stamp every picture (see ImageTemplate.stamp). */
  stamp?: string;
}

export interface GeneratedImage {
  variant: Variant;
  photo_date: string;
  upload_date: Date;
  uploaded_by: string;
  source_batch: string;
}

export interface GeneratedProduct {
  gtin14: string;
  input: ProductInput;
  template: ImageTemplate;
  images: GeneratedImage[];
}

const SMALL_PACKS: CategoryKey[] = ['candy', 'spices', 'snacks', 'chips', 'condiments'];
const BAKED: CategoryKey[] = ['bread', 'cookies', 'crackers', 'cake'];
const PRODUCE: CategoryKey[] = ['fruit', 'vegetables', 'chips', 'grape_juice'];
const DAY_MS = 86_400_000;
const PHOTO_FROM = Date.UTC(2023, 0, 1);
const PHOTO_DAYS = 1368; // up to 2026-09-30

export class CatalogGenerator {
  private readonly rng: Rng;
  private readonly used = new Set<string>();
  private readonly pinned: string[];

  constructor(
    seed: number | string,
    private readonly opts: GeneratorOptions = {},
  ) {
    this.rng = new Rng(seedNumber(seed));
    this.pinned = [...(opts.barcodes ?? [])];
  }

  take(n: number): GeneratedProduct[] {
    return Array.from({ length: n }, () => this.next());
  }

  next(): GeneratedProduct {
    const r = this.rng;
    const brand = r.pick(BRANDS);
    const catKey = r.pick(brand.categories);
    const cat = CATEGORIES[catKey];
    const variety = r.pick(cat.varieties);
    const modifier = r.chance(0.45) ? r.pick(NAME_MODIFIERS) : null;
    const defs: IngredientDef[] = variety.ingredients.map((k) => INGREDIENTS[k]);
    const has = (tag: keyof IngredientDef) => defs.some((d) => d[tag]);
    const dmp = has('meat') ? 'meat' : has('dairy') ? 'dairy' : 'pareve';
    const passover =
      dmp === 'pareve' && !has('chametz') && !has('kitniyot') && cat.passover > 0 && r.chance(cat.passover);
    const metricFirst = brand.country !== 'US';
    const size = r.pick(cat.sizes);
    const net = netContents(cat, size, metricFirst, catKey === 'wine');
    const enName = [modifier, variety.en].filter(Boolean).join(' ');
    const { code, gtin14 } = this.pinnedBarcode() ?? this.barcode(brand, SMALL_PACKS.includes(catKey));

    const allergenSet = new Set(defs.flatMap((d) => d.allergens ?? []));
    const text = defs.map((d) => d.text).join(', ');
    const input: ProductInput = {
      barcode: code,
      brand: brand.he ? `${brand.name} ${brand.he}` : brand.name,
      product_name: brand.he ? `${enName} ${variety.he}` : enName,
      product_description: r.chance(0.9) ? r.pick(cat.blurbs) : null,
      net_weight: net.text,
      category: cat.en,
      bracha: cat.bracha as Bracha | null,
      kosher_for_passover: passover,
      hechshers: this.hechshers(brand, catKey, dmp, passover, has('fish'), has('chametz')),
      ingredients: `${text.charAt(0).toUpperCase()}${text.slice(1)}.`,
      allergens: ALLERGENS.filter((a) => allergenSet.has(a)),
      nutrition_facts: nutritionFacts(
        r,
        cat,
        variety,
        {
          dairy: has('dairy'),
          meat: has('meat'),
          fish: has('fish'),
          egg: has('egg'),
          sweetener: has('sweetener'),
          grain: BAKED.includes(catKey) || catKey === 'matzah',
          produce: PRODUCE.includes(catKey),
        },
        net.grams,
      ),
      ownership: this.studio(brand).name,
    };
    const template: ImageTemplate = {
      // One drawing per brand and variety: every "Osem Tahini Sauce", whatever its size or name modifier,
      // shows the same package, and that package says what the product is.
      key: `${brand.name}|${catKey}|${variety.en}`,
      brand: brand.name,
      brandHe: brand.he,
      label: variety.en,
      labelHe: brand.he ? variety.he : undefined,
      shape: cat.shape,
      colors: brand.colors,
      style: fnv1a(variety.en) % 3,
      ...(this.opts.stamp ? { stamp: this.opts.stamp } : {}),
    };
    if (this.opts.stamp) template.key += `|${this.opts.stamp}`;
    return { gtin14, input, template, images: this.images(input.ownership) };
  }

  private pinnedBarcode(): { code: string; gtin14: string } | null {
    const code = this.pinned.shift();
    if (code === undefined) return null;
    const parsed = parseBarcode(code);
    if (!parsed.ok) throw new Error(`pinned barcode ${code} is not a valid GTIN`);
    this.used.add(parsed.gtin14);
    return { code, gtin14: parsed.gtin14 };
  }

  /**
   * A unique, valid barcode in the form the brand's country prints: UPC-A in North America, EAN-13
   * elsewhere, EAN-8 for some small packs outside North America. The company code comes from the brand
   * name, so a brand's products share a prefix the way real ones do.
   */
  private barcode(brand: Brand, smallPack: boolean): { code: string; gtin14: string } {
    const r = this.rng;
    const h = fnv1a(brand.name);
    const prefixes = GS1_PREFIX[brand.country];
    const northAmerica = brand.country === 'US' || brand.country === 'CA';
    for (let attempt = 0; ; attempt++) {
      let code: string;
      if (!northAmerica && smallPack && attempt < 20 && r.chance(0.5)) {
        code = withCheckDigit(r.pick(prefixes) + r.digits(4)); // EAN-8
      } else if (northAmerica) {
        code = withCheckDigit(prefixes[h % prefixes.length] + String(10000 + (h % 90000)) + r.digits(5)); // UPC-A
      } else {
        code = withCheckDigit(prefixes[h % prefixes.length] + String(1000 + (h % 9000)) + r.digits(5)); // EAN-13
      }
      const parsed = parseBarcode(code);
      if (!parsed.ok) throw new Error(`generator produced an invalid barcode ${code}`);
      if (!this.used.has(parsed.gtin14)) {
        this.used.add(parsed.gtin14);
        return { code, gtin14: parsed.gtin14 };
      }
    }
  }

  private hechshers(
    brand: Brand,
    cat: CategoryKey,
    dmp: 'dairy' | 'meat' | 'pareve',
    passover: boolean,
    fish: boolean,
    chametz: boolean,
  ): Hechsher[] {
    const r = this.rng;
    const israeli = brand.country === 'IL';
    const fits = (a: Agency) => (dmp !== 'meat' || !!a.meat) && (!passover || !!a.passover);
    let keys = brand.agencies.filter((k) => fits(AGENCIES[k]));
    if (keys.length === 0) keys = [israeli ? 'Rabbanut' : 'OU'];
    // Mostly the brand's main agency; sometimes its other one, sometimes both seals on the label.
    const chosen: AgencyKey[] = keys.length > 1 && r.chance(0.25) ? [keys[1]] : [keys[0]];
    if (keys.length > 1 && r.chance(0.25)) chosen.push(keys[chosen[0] === keys[0] ? 1 : 0]);

    const qualifiers: string[] = [];
    if (dmp === 'dairy' && (israeli || r.chance(0.2))) qualifiers.push('chalav_yisrael');
    if (BAKED.includes(cat) && (israeli || r.chance(0.3))) qualifiers.push('pas_yisrael');
    if (dmp === 'meat' && r.chance(0.9)) qualifiers.push('glatt');
    if (cat === 'grape_juice' || (cat === 'wine' && r.chance(0.6))) qualifiers.push('mevushal');
    if (chametz && !israeli && r.chance(0.1)) qualifiers.push('yoshon');
    if (fish) qualifiers.push('fish');
    // Pareve sweets and baked goods are often run on dairy lines: OU-DE and the like.
    const dairyEquipment =
      dmp === 'pareve' &&
      !passover &&
      ['cookies', 'candy', 'cake', 'crackers', 'snacks'].includes(cat) &&
      r.chance(0.15);

    return chosen.map((k): Hechsher => {
      const a: Agency = AGENCIES[k];
      const de = dairyEquipment && !!a.dairyEquipment;
      const symbol = passover
        ? a.passover!
        : dmp === 'meat'
          ? a.meat!
          : dmp === 'dairy'
            ? a.dairy
            : de
              ? a.dairyEquipment!
              : a.pareve;
      return { symbol, org: a.org, dairy_meat_pareve: dmp, dairy_equipment: de, passover, qualifiers: [...qualifiers] };
    });
  }

  private studio(brand: Brand) {
    const r = this.rng;
    const home =
      brand.country === 'IL' ? 'Tel Aviv Product Lab' : brand.country === 'UK' ? 'Golders Green Imaging' : null;
    if (home && r.chance(0.8)) return STUDIOS.find((s) => s.name === home)!;
    return r.pick(STUDIOS);
  }

  /** Most products have all four shots; some lack the cut-outs, the back, or any photo at all. */
  private images(ownership: string): GeneratedImage[] {
    const r = this.rng;
    const x = r.float();
    const variants: Variant[] =
      x < 0.02
        ? []
        : x < 0.06
          ? ['front']
          : x < 0.12
            ? ['front', 'back']
            : x < 0.16
              ? ['front', 'back', 'front_clean']
              : ['front', 'back', 'front_clean', 'back_clean'];
    const studio = STUDIOS.find((s) => s.name === ownership)!;
    const shot = PHOTO_FROM + r.int(0, PHOTO_DAYS) * DAY_MS;
    const upload = new Date(shot + r.int(1, 21) * DAY_MS + r.int(8 * 3600, 18 * 3600) * 1000);
    const batch = `${studio.code}-${upload.toISOString().slice(0, 7).replace('-', '')}-B${String(r.int(1, 12)).padStart(2, '0')}`;
    const photographer = r.pick(studio.photographers);
    return variants.map((variant) => ({
      variant,
      photo_date: new Date(shot).toISOString().slice(0, 10),
      upload_date: upload,
      uploaded_by: photographer,
      source_batch: batch,
    }));
  }
}

/** The first `count` products of the catalog for `seed`.  @internal Exported for its tests. */
export function generateCatalog(seed: number | string, count: number): GeneratedProduct[] {
  return new CatalogGenerator(seed).take(count);
}
