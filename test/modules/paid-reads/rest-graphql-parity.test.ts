// REST and GraphQL side by side (docs/billing.md): each REST include × variants combination and its
// GraphQL equivalent return the same data and charge the same credits.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VARIANTS, type Variant } from '../../../src/modules/catalog/product.types.ts';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { call } from '../../helpers/http.ts';
import { barcode, type SignedInClient, seed } from '../../helpers/testkit.ts';

let app: TestApp;
let client: SignedInClient;
const products: string[] = [];

const camel = (s: string) => s.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
const snake = (s: string) => s.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
/** GraphQL's camelCase JSON in REST's snake_case, enums lowered. */
function toRest(v: unknown, key = ''): unknown {
  if (Array.isArray(v)) return v.map((x) => toRest(x, key));
  if (v && typeof v === 'object')
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [snake(k), toRest(x, k)]));
  if (typeof v === 'string' && ['bracha', 'dairyMeatPareve'].includes(key)) return v.toLowerCase();
  return v;
}

const META = `brand productName productDescription netWeight category bracha kosherForPassover
  hechshers { symbol org dairyMeatPareve dairyEquipment passover qualifiers } ingredients allergens
  nutritionFacts { servingSize servingsPerContainer calories totalFatG saturatedFatG transFatG cholesterolMg sodiumMg
    totalCarbohydrateG dietaryFiberG totalSugarsG addedSugarsG proteinG vitaminDMcg calciumMg ironMg potassiumMg }
  ownership updatedAt`;
const IMAGE_META =
  'photoDate uploadDate resolution width height format contentType fileSizeBytes ownership uploadedBy sourceBatch';

function graphqlFor(include: string[], variants: readonly Variant[]): string {
  const parts: string[] = ['barcode'];
  if (include.includes('product_meta')) parts.push(`productMeta { ${META} }`);
  if (include.includes('image_meta'))
    parts.push(`imageMeta { ${variants.map((v) => `${camel(v)} { ${IMAGE_META} }`).join(' ')} }`);
  if (include.includes('images'))
    parts.push(`images { ${variants.map((v) => `${camel(v)}(size: SMALL, format: WEBP)`).join(' ')} }`);
  return `query($b: Barcode!) { product(barcode: $b) { ${parts.join(' ')} } }`;
}

beforeAll(async () => {
  app = await startTestApp();
  client = await seed(app).client({ credits: 10_000, tier: 'enterprise' });
  products.push((await seed(app).product({ meta: 'full', imageRows: ['front', 'back_clean'] })).barcode);
  products.push(
    (await seed(app).product({ meta: 'full', imageRows: [...VARIANTS], nutrition_facts: null, bracha: null })).barcode,
  );
});
afterAll(async () => {
  await app?.close();
});

describe('REST and GraphQL side by side', () => {
  const includes = [
    ['product_meta'],
    ['image_meta'],
    ['images'],
    ['product_meta', 'image_meta'],
    ['product_meta', 'images'],
    ['image_meta', 'images'],
    ['product_meta', 'image_meta', 'images'],
  ];
  const variantSets: Variant[][] = [[...VARIANTS], ['front'], ['back_clean', 'back']];

  it('same data, same charge, for every include × variants combination', async () => {
    let compared = 0;
    for (const b of products) {
      for (const include of includes) {
        for (const variants of variantSets) {
          const qs = `include=${include.join(',')}&variants=${variants.join(',')}&image_size=small&image_format=webp`;
          const rest = await call(app.url, `/api/v1/products/${b}?${qs}`, { token: client.accessToken });
          // An explicit include is obeyed exactly (docs/billing.md#the-default-include): GraphQL selects the same.
          const effective = include;
          const gql = await call(app.url, '/graphql', {
            token: client.accessToken,
            body: { query: graphqlFor(effective, variants), variables: { b } },
          });
          const label = `${b} ${qs}`;
          if (rest.status === 404) {
            // images only, none of the variants exist: REST says 404; GraphQL answers nulls, free.
            expect(gql.body.extensions.billing.creditsDebited, label).toBe(0);
            continue;
          }
          expect(rest.status, label).toBe(200);
          expect(gql.body.errors, label).toBeUndefined();
          expect(gql.body.extensions.billing.creditsDebited, label).toBe(rest.body.meta.credits_debited);
          const p = gql.body.data.product;
          expect(p.barcode).toBe(rest.body.barcode);
          if (effective.includes('product_meta')) expect(toRest(p.productMeta), label).toEqual(rest.body.product_meta);
          if (effective.includes('image_meta')) {
            const present = Object.fromEntries(
              Object.entries(toRest(p.imageMeta) as object).filter(([, x]) => x !== null),
            );
            expect(present, label).toEqual(rest.body.image_meta);
          }
          if (effective.includes('images')) {
            const present = Object.keys(toRest(p.images) as object).filter(
              (k) => (toRest(p.images) as Record<string, unknown>)[k] !== null,
            );
            expect(present.sort(), label).toEqual(Object.keys(rest.body.images).sort());
          }
          compared++;
        }
      }
    }
    expect(compared).toBeGreaterThan(30);
  });

  it('HEAD and bulk-check cost the same as their GraphQL forms', async () => {
    const head = await fetch(`${app.url}/api/v1/products/${products[0]}`, {
      method: 'HEAD',
      headers: { authorization: `Bearer ${client.accessToken}` },
    });
    const gHead = await call(app.url, '/graphql', {
      token: client.accessToken,
      body: {
        query: 'query($b: Barcode!) { product(barcode: $b) { availableVariants } }',
        variables: { b: products[0] },
      },
    });
    expect(gHead.body.extensions.billing.creditsDebited).toBe(Number(head.headers.get('x-credits-debited')));
    expect(gHead.body.data.product.availableVariants.map((v: string) => v.toLowerCase()).join(',')).toBe(
      head.headers.get('x-available-variants'),
    );

    const list = [products[1], 'bad', barcode(13), products[0]];
    const rest = await call(app.url, '/api/v1/products/bulk-check', {
      token: client.accessToken,
      body: { barcodes: list },
    });
    const gql = await call(app.url, '/graphql', {
      token: client.accessToken,
      body: {
        query: 'query($l: [String!]!) { bulkCheck(barcodes: $l) { barcode exists variants error } }',
        variables: { l: list },
      },
    });
    expect(gql.body.extensions.billing.creditsDebited).toBe(rest.body.meta.credits_debited);
    expect(
      gql.body.data.bulkCheck.map(
        (r: { barcode: string; exists: boolean; variants: string[]; error: string | null }) => ({
          barcode: r.barcode,
          exists: r.exists,
          variants: r.variants.map((v) => v.toLowerCase()),
          ...(r.error ? { error: r.error.toLowerCase() } : {}),
        }),
      ),
    ).toEqual(rest.body.results);
  });
});
