// PUT /admin/v1/products/{barcode}: upsert one product's product_meta (docs/rest.md#get-a-product shape). The body is the
// whole product_meta (a PUT replaces it): required brand, product_name, ownership; absent optional fields
// become null / empty. Validated strictly here so the repository only ever sees well-typed rows.
import { z } from 'zod';
import { AppError } from '../../kernel/errors.ts';
import { parseInput } from '../../kernel/parse-input.ts';
import { readJson } from '../../platform/http/body.ts';
import type { Route } from '../../platform/http/router.ts';
import { BRACHOS, DMP, NUTRIENT_KEYS } from './product.types.ts';
import type { ProductAdminService } from './product-admin.service.ts';

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

export function adminProductRoutes(products: ProductAdminService): Route[] {
  return [
    {
      method: 'PUT',
      path: '/admin/v1/products/:barcode',
      access: 'admin',
      async handler({ raw, params, ctx }) {
        products.gtin14(params.barcode); // an invalid path barcode is invalid_barcode whatever the body says
        const { barcode: inBody, ...meta } = parseInput(productMeta, await readJson(raw));
        if (inBody !== undefined && inBody !== params.barcode) {
          throw new AppError('bad_request', 'barcode: must equal the barcode in the path (or be omitted)');
        }
        const r = await products.upsert(params.barcode, meta as Parameters<ProductAdminService['upsert']>[1]);
        ctx.log.info({ gtin14: r.gtin14, outcome: r.outcome }, 'product upserted');
        return {
          status: r.outcome === 'inserted' ? 201 : 200,
          json: { barcode: params.barcode, gtin14: r.gtin14, outcome: r.outcome },
        };
      },
    },
  ];
}
