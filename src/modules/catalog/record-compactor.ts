// The catalog cache's copy of a product record, built to be small (docs/operations.md#memory). A record as read
// holds its own copy of every string and array: the catalog's vocabulary (brand, category, net weight, hechsher
// symbols, allergens, image formats, photographers, source batches, ...) repeats across thousands of products,
// and an image's blob key is its SHA-256. The compactor keeps one copy of each such value, shared by every
// record that has it, in tables whose size is bounded: once a table is full, new values are kept as they are
// (still correct, only not shared). Free text (product name, description, ingredients) and nutrition facts
// are left alone: in a real catalog they are per product.
// Shared values are frozen: a cached record is read-only for every reader (renderers copy what they send).
import type { Hechsher, ImageRecord, ProductMeta, ProductRecord, Variant } from './product.types.ts';

/** Distinct values kept per table: far above a real catalog's vocabulary, and at most a few MB. */
const MAX_VALUES = 20_000;
const EMPTY_HECHSHERS: readonly Hechsher[] = Object.freeze([]);
const EMPTY_LIST: readonly string[] = Object.freeze([]);

class Table<K, V> {
  private readonly map = new Map<K, V>();
  /** The value kept for `key`, or `make()` (kept while there is room). */
  share(key: K, make: () => V): V {
    const have = this.map.get(key);
    if (have !== undefined) return have;
    const value = make();
    if (this.map.size < MAX_VALUES) this.map.set(key, value);
    return value;
  }
  get size(): number {
    return this.map.size;
  }
}

export class RecordCompactor {
  private readonly strings = new Table<string, string>();
  private readonly hechshers = new Table<string, readonly Hechsher[]>();
  private readonly lists = new Table<string, readonly string[]>();

  /** Values shared now, over every table (for tests and the startup log). */
  get sharedValues(): number {
    return this.strings.size + this.hechshers.size + this.lists.size;
  }

  private s(v: string): string;
  private s(v: string | null): string | null;
  private s(v: string | null): string | null {
    return v === null || v === undefined ? v : this.strings.share(v, () => v);
  }

  private list(v: readonly string[]): string[] {
    if (v.length === 0) return EMPTY_LIST as string[];
    return this.lists.share(JSON.stringify(v), () => Object.freeze(v.map((x) => this.s(x)))) as string[];
  }

  private hechsherList(v: readonly Hechsher[]): Hechsher[] {
    if (v.length === 0) return EMPTY_HECHSHERS as Hechsher[];
    return this.hechshers.share(JSON.stringify(v), () =>
      Object.freeze(
        v.map((h) =>
          Object.freeze({
            symbol: this.s(h.symbol),
            org: this.s(h.org),
            dairy_meat_pareve: h.dairy_meat_pareve,
            dairy_equipment: h.dairy_equipment,
            passover: h.passover,
            qualifiers: this.list(h.qualifiers ?? []),
          }),
        ),
      ),
    ) as Hechsher[];
  }

  compact(r: ProductRecord): ProductRecord {
    const m = r.meta;
    const meta: ProductMeta = {
      barcode: m.barcode,
      brand: this.s(m.brand),
      product_name: m.product_name,
      product_description: m.product_description,
      net_weight: this.s(m.net_weight),
      category: this.s(m.category),
      bracha: m.bracha,
      kosher_for_passover: m.kosher_for_passover,
      hechshers: this.hechsherList(m.hechshers ?? []),
      ingredients: m.ingredients,
      allergens: this.list(m.allergens ?? []),
      nutrition_facts: m.nutrition_facts
        ? {
            ...m.nutrition_facts,
            serving_size: this.s(m.nutrition_facts.serving_size),
            servings_per_container: this.s(m.nutrition_facts.servings_per_container),
          }
        : null,
      ownership: this.s(m.ownership),
      updated_at: m.updated_at,
    };
    const images: Partial<Record<Variant, ImageRecord>> = {};
    // A product's images are usually uploaded together: one Date for equal upload times.
    const dates = new Map<number, Date>();
    for (const [v, i] of Object.entries(r.images) as [Variant, ImageRecord][]) {
      const t = i.upload_date.getTime();
      const upload = dates.get(t) ?? i.upload_date;
      dates.set(t, upload);
      const sha256 = i.sha256;
      images[v] = {
        variant: i.variant,
        format: i.format,
        content_type: i.content_type,
        width: i.width,
        height: i.height,
        file_size_bytes: i.file_size_bytes,
        sha256,
        blob_key: i.blob_key === sha256 ? sha256 : i.blob_key,
        photo_date: this.s(i.photo_date),
        upload_date: upload,
        uploaded_by: this.s(i.uploaded_by),
        source_batch: this.s(i.source_batch),
      };
    }
    return { gtin14: r.gtin14, meta, images };
  }
}
