// REST rendering of paid product data (docs/rest.md#get-a-product): snake_case, absent values null (never missing keys).
import {
  type ImageRecord,
  NUTRIENT_KEYS,
  type NutritionFacts,
  type ProductRecord,
  type Variant,
} from '../catalog/index.ts';

export function renderProductMeta(r: ProductRecord) {
  const m = r.meta;
  return {
    brand: m.brand,
    product_name: m.product_name,
    product_description: m.product_description ?? null,
    net_weight: m.net_weight ?? null,
    category: m.category ?? null,
    bracha: m.bracha ?? null,
    kosher_for_passover: m.kosher_for_passover,
    hechshers: (m.hechshers ?? []).map((h) => ({
      symbol: h.symbol,
      org: h.org ?? null,
      dairy_meat_pareve: h.dairy_meat_pareve ?? null,
      dairy_equipment: !!h.dairy_equipment,
      passover: !!h.passover,
      qualifiers: h.qualifiers ?? [],
    })),
    ingredients: m.ingredients ?? null,
    allergens: m.allergens ?? [],
    nutrition_facts: renderNutrition(m.nutrition_facts),
    ownership: m.ownership,
    updated_at: new Date(m.updated_at).toISOString(),
  };
}

function renderNutrition(n: NutritionFacts | null): NutritionFacts | null {
  if (!n) return null;
  const out: Record<string, unknown> = {
    serving_size: n.serving_size ?? null,
    servings_per_container: n.servings_per_container ?? null,
    calories: n.calories ?? null,
  };
  for (const k of NUTRIENT_KEYS) out[k] = n[k] ?? null;
  return out as NutritionFacts;
}

function renderImageMeta(img: ImageRecord, ownership: string) {
  return {
    photo_date: img.photo_date ?? null,
    upload_date: img.upload_date.toISOString(),
    resolution: `${img.width}x${img.height}`,
    width: img.width,
    height: img.height,
    format: img.format,
    content_type: img.content_type,
    file_size_bytes: img.file_size_bytes,
    ownership,
    uploaded_by: img.uploaded_by ?? null,
    source_batch: img.source_batch ?? null,
  };
}

export function renderImageMetaSet(r: ProductRecord, variants: readonly Variant[]) {
  const out: Record<string, ReturnType<typeof renderImageMeta>> = {};
  for (const v of variants) {
    const img = r.images[v];
    if (img) out[v] = renderImageMeta(img, r.meta.ownership);
  }
  return out;
}
