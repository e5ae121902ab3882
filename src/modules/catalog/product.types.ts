// The catalog's product as the contract describes it (docs/rest.md#get-a-product), in the service layer's shape.
// Repositories parse rows into these types at the boundary; adapters render them (snake_case over REST).

export const BRACHOS = ['hamotzi', 'mezonos', 'hagafen', 'haetz', 'haadama', 'shehakol'] as const;
export type Bracha = (typeof BRACHOS)[number];

export const VARIANTS = ['front', 'back', 'front_clean', 'back_clean'] as const;
export type Variant = (typeof VARIANTS)[number];

export const DMP = ['dairy', 'meat', 'pareve'] as const;
type DairyMeatPareve = (typeof DMP)[number];

export interface Hechsher {
  symbol: string; // as printed, e.g. "OU-D"
  org: string; // "Orthodox Union"
  dairy_meat_pareve: DairyMeatPareve;
  dairy_equipment: boolean;
  passover: boolean;
  qualifiers: string[]; // chalav_yisrael, pas_yisrael, glatt, mevushal, yoshon, fish, …
}

export const NUTRIENT_KEYS = [
  'total_fat_g',
  'saturated_fat_g',
  'trans_fat_g',
  'cholesterol_mg',
  'sodium_mg',
  'total_carbohydrate_g',
  'dietary_fiber_g',
  'total_sugars_g',
  'added_sugars_g',
  'protein_g',
  'vitamin_d_mcg',
  'calcium_mg',
  'iron_mg',
  'potassium_mg',
] as const;
type NutrientKey = (typeof NUTRIENT_KEYS)[number];

export type NutritionFacts = {
  serving_size: string | null;
  servings_per_container: string | null;
  calories: number | null;
} & { [K in NutrientKey]: number | null };

/** Everything of product_meta except the derived fields; what the admin PUT and the seed write. */
export interface ProductInput {
  barcode: string; // printed form, 8–14 digits, valid check digit
  brand: string;
  product_name: string;
  product_description: string | null;
  net_weight: string | null;
  category: string | null;
  bracha: Bracha | null;
  kosher_for_passover: boolean;
  hechshers: Hechsher[];
  ingredients: string | null;
  allergens: string[];
  nutrition_facts: NutritionFacts | null;
  ownership: string;
}

export interface ProductMeta extends ProductInput {
  updated_at: Date;
}

export interface ImageRecord {
  variant: Variant;
  format: 'jpeg' | 'png';
  content_type: 'image/jpeg' | 'image/png';
  width: number;
  height: number;
  file_size_bytes: number;
  sha256: string;
  blob_key: string;
  photo_date: string | null; // YYYY-MM-DD
  upload_date: Date;
  uploaded_by: string | null;
  source_batch: string | null;
}

/** One product as loaded by the read path: its meta plus the images that exist. */
export interface ProductRecord {
  gtin14: string;
  meta: ProductMeta;
  images: Partial<Record<Variant, ImageRecord>>;
}
