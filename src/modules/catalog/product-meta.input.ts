// The product_meta body of the operator's upsert (docs/rest.md#get-a-product shape), one schema for both doors: PUT
// /admin/v1/products/{barcode} and the operator console's operatorSaveProduct. The body is the whole product_meta (a
// PUT replaces it): required brand, product_name, ownership; absent optional fields become null / empty. Validated
// strictly here so the repository only ever sees well-typed rows.
import { z } from 'zod';
import { parseInput } from '../../kernel/parse-input.ts';
import type { ProductInput } from './product.types.ts';
import { BRACHOS, DMP, NUTRIENT_KEYS } from './product.types.ts';

const text = z.string().max(20_000);
const optText = text
  .nullable()
  .optional()
  .transform((v) => v ?? null);
const required = z.string().trim().min(1).max(500);
const amount = z
  .number()
  .finite()
  .min(0)
  .nullable()
  .optional()
  .transform((v) => v ?? null);

const hechsher = z.strictObject({
  symbol: z.string().trim().min(1).max(50),
  org: z.string().max(200),
  dairy_meat_pareve: z.enum(DMP),
  dairy_equipment: z.boolean(),
  passover: z.boolean(),
  qualifiers: z.array(z.string().min(1).max(50)).max(20),
});

const nutrition = z.strictObject({
  serving_size: z
    .string()
    .max(200)
    .nullable()
    .optional()
    .transform((v) => v ?? null),
  servings_per_container: z
    .string()
    .max(200)
    .nullable()
    .optional()
    .transform((v) => v ?? null),
  calories: amount,
  ...Object.fromEntries(NUTRIENT_KEYS.map((k) => [k, amount])),
});

const productMeta = z.strictObject({
  barcode: z.string().optional(),
  brand: required,
  product_name: required,
  ownership: required,
  product_description: optText,
  net_weight: optText,
  category: optText,
  bracha: z
    .enum(BRACHOS)
    .nullable()
    .optional()
    .transform((v) => v ?? null),
  kosher_for_passover: z
    .boolean()
    .optional()
    .transform((v) => v ?? false),
  hechshers: z
    .array(hechsher)
    .max(30)
    .optional()
    .transform((v) => v ?? []),
  ingredients: optText,
  allergens: z
    .array(z.string().trim().min(1).max(100))
    .max(50)
    .optional()
    .transform((v) => v ?? []),
  nutrition_facts: nutrition
    .nullable()
    .optional()
    .transform((v) => v ?? null),
});

/** The body checked: its optional barcode, and the product_meta to store (400 bad_request naming the field). */
export function parseProductMeta(body: unknown): { barcode?: string; meta: Omit<ProductInput, 'barcode'> } {
  const { barcode, ...meta } = parseInput(productMeta, body);
  return { barcode, meta: meta as Omit<ProductInput, 'barcode'> };
}
