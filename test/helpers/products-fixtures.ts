// Fixtures for the paid-read tests: products with a chosen set of image variants (rows only, no bytes:
// reads never touch blobs), clients with a known balance, and ledger look-ups.
import type { Sql } from '../../src/platform/db/client.ts';
import type { ProductInput, Variant } from '../../src/modules/catalog/product.types.ts';
import { addImages, barcode, hechsher, insertProducts, product } from './listing-fixtures.ts';

export { barcode };

/** A product carrying every product_meta field, with the given variants. */
export async function productWith(
  sql: Sql,
  variants: Variant[],
  over: Partial<ProductInput> = {},
): Promise<ProductInput> {
  const p = product({
    product_description: 'Crunchy',
    net_weight: 'Net Wt 20 oz (1 lb 4 oz) 567g',
    category: 'Snacks',
    bracha: 'shehakol',
    kosher_for_passover: true,
    hechshers: [{ ...hechsher('OU-D'), dairy_meat_pareve: 'dairy', qualifiers: ['chalav_yisrael'] }],
    ingredients: 'קמח, water',
    allergens: ['milk'],
    nutrition_facts: {
      serving_size: '1 oz',
      servings_per_container: 'about 20',
      calories: 140,
      total_fat_g: 7.5,
      saturated_fat_g: 1,
      trans_fat_g: 0,
      cholesterol_mg: 0,
      sodium_mg: 170,
      total_carbohydrate_g: 18,
      dietary_fiber_g: 1,
      total_sugars_g: 2,
      added_sugars_g: 1,
      protein_g: 2,
      vitamin_d_mcg: null,
      calcium_mg: 10,
      iron_mg: 0.4,
      potassium_mg: 50,
    },
    ...over,
  });
  await insertProducts(sql, [p]);
  if (variants.length) await addImages(sql, p.barcode, variants);
  return p;
}

export async function ledgerRows(sql: Sql, requestId: string) {
  return sql<
    {
      amount: bigint;
      balance_after: bigint;
      client_id: string;
      kind: string;
      lines: { action: string; amount: number }[];
    }[]
  >`
    select amount, balance_after, client_id, kind, lines from credit_ledger where request_id = ${requestId}`;
}

export async function balanceUnits(sql: Sql, accountId: string): Promise<bigint> {
  const [r] = await sql<{ balance: bigint }[]>`select balance from accounts where account_id = ${accountId}`;
  return r.balance;
}

/** Credits (a JS number) from units, as the API renders them. */
export const credits = (units: bigint | number) => Number(units) / 10_000;
