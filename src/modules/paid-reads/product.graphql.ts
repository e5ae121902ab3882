// Product reads over GraphQL: thin fields over the operation's executed read plan (billing.plugin.ts ran
// it, and charged for exactly these selections, before any field here resolves).

import { AppError } from '../../kernel/errors.ts';
import type { Builder } from '../../platform/graphql/builder.ts';
import type { GraphQLContext } from '../../platform/graphql/context.ts';
import {
  BRACHOS,
  DMP,
  type Hechsher,
  IMAGE_FORMATS,
  IMAGE_SIZES,
  type ImageFormat,
  type ImageRecord,
  type ImageSize,
  NUTRIENT_KEYS,
  type NutritionFacts,
  type ProductMeta,
  type ProductRecord,
  toGtin14,
  VARIANTS,
  type Variant,
} from '../catalog/index.ts';
import { BILLED_TYPE, billing } from './billing-rules.ts';
import { bulkRows, MAX_BARCODES, planBulkCheck } from './bulk-check.ts';
import { availableVariants, type ProductOutcome } from './read-plan.service.ts';
import { imageKey, type ProductWant } from './read-plan.ts';
import { limitList } from './selection-plan.ts';

export interface ProductRef {
  record: ProductRecord;
  want: ProductWant;
  outcome: ProductOutcome;
}
interface ImageMetaRef {
  img: ImageRecord;
  ownership: string;
}

const upper = (s: string) => s.toUpperCase();
const camel = (s: string) => s.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
const enumValues = <T extends string>(values: readonly T[], describe?: (v: T) => string) =>
  Object.fromEntries(values.map((v) => [upper(v), { value: v, description: describe?.(v) }])) as Record<
    string,
    { value: T }
  >;

const variantField = (v: Variant) => camel(v) as 'front' | 'back' | 'frontClean' | 'backClean';

/** Paid data only for what the plan billed: a mismatch is a bug, never free data. */
function billed(p: ProductRef, scope: 'productMeta' | 'imageMeta'): void {
  if (!p.want[scope]) throw new Error(`${scope} resolved outside the billed plan`);
}

function executed(c: GraphQLContext) {
  if (!c.op.result) throw new Error('paid field resolved without an executed read plan');
  return c.op.result;
}

export function productRef(c: GraphQLContext, barcode: string): ProductRef | null {
  const result = executed(c);
  const gtin14 = toGtin14(barcode)!;
  const outcome = result.products.get(gtin14);
  const want = c.op.plan?.products.find((w) => w.gtin14 === gtin14);
  if (!outcome || !want) throw new Error('product resolved outside the billed plan');
  if (outcome.status === 'out_of_scope')
    throw new AppError('out_of_scope', 'This product is outside the scope of your API client.');
  return outcome.record ? { record: outcome.record, want, outcome } : null;
}

/** The refs other paid-reads fields build on (the catalog connection's nodes are Products). */
export type ProductRefs = ReturnType<typeof productGraphql>;

export function productGraphql(builder: Builder) {
  const VariantEnum = builder.enumType('Variant', {
    description:
      '`FRONT`/`BACK` are JPEG studio shots on white; `*_CLEAN` are PNG cut-outs with a transparent background.',
    values: enumValues(VARIANTS),
  });
  const ImageSizeEnum = builder.enumType('ImageSize', {
    description: 'Longest side: THUMB 200, SMALL 400, MEDIUM 800, LARGE 1200 px; ORIGINAL as stored.',
    values: enumValues(IMAGE_SIZES),
  });
  const ImageFormatEnum = builder.enumType('ImageFormat', {
    description: 'ORIGINAL keeps the stored format.',
    values: enumValues(IMAGE_FORMATS),
  });
  const BrachaEnum = builder.enumType('Bracha', { values: enumValues(BRACHOS) });
  const DmpEnum = builder.enumType('DairyMeatPareve', { values: enumValues(DMP) });

  const HechsherType = builder.objectRef<Hechsher>('Hechsher').implement({
    description: 'A kosher certification mark as printed on the label, in label order.',
    fields: (t) => ({
      symbol: t.exposeString('symbol', { description: 'As printed, e.g. "OU-D".' }),
      org: t.string({ nullable: true, resolve: (h) => h.org ?? null }),
      dairyMeatPareve: t.field({ type: DmpEnum, nullable: true, resolve: (h) => h.dairy_meat_pareve ?? null }),
      dairyEquipment: t.boolean({ resolve: (h) => !!h.dairy_equipment }),
      passover: t.boolean({ resolve: (h) => !!h.passover }),
      qualifiers: t.stringList({
        description: 'chalav_yisrael, pas_yisrael, glatt, mevushal, yoshon, fish, …',
        resolve: (h) => h.qualifiers ?? [],
      }),
    }),
  });

  const NutritionType = builder.objectRef<NutritionFacts>('NutritionFacts').implement({
    description: 'The FDA label; units are in the field names. Null where the label has no value.',
    fields: (t) => ({
      servingSize: t.string({ nullable: true, resolve: (n) => n.serving_size ?? null }),
      servingsPerContainer: t.string({ nullable: true, resolve: (n) => n.servings_per_container ?? null }),
      calories: t.float({ nullable: true, resolve: (n) => n.calories ?? null }),
      ...Object.fromEntries(
        NUTRIENT_KEYS.map((k) => [camel(k), t.float({ nullable: true, resolve: (n) => n[k] ?? null })]),
      ),
    }),
  });

  const ProductMetaType = builder.objectRef<ProductMeta>('ProductMeta').implement({
    description: 'The product_meta scope: selecting it (any of its fields) bills one `products.get`.',
    fields: (t) => ({
      brand: t.exposeString('brand'),
      productName: t.string({ resolve: (m) => m.product_name }),
      productDescription: t.string({ nullable: true, resolve: (m) => m.product_description ?? null }),
      netWeight: t.string({
        nullable: true,
        description: 'As printed, e.g. "Net Wt 20 oz (1 lb 4 oz) 567g".',
        resolve: (m) => m.net_weight ?? null,
      }),
      category: t.string({ nullable: true, resolve: (m) => m.category ?? null }),
      bracha: t.field({ type: BrachaEnum, nullable: true, resolve: (m) => m.bracha ?? null }),
      kosherForPassover: t.boolean({ resolve: (m) => m.kosher_for_passover }),
      hechshers: t.field({ type: [HechsherType], resolve: (m) => m.hechshers ?? [] }),
      ingredients: t.string({ nullable: true, description: 'As printed.', resolve: (m) => m.ingredients ?? null }),
      allergens: t.stringList({ resolve: (m) => m.allergens ?? [] }),
      nutritionFacts: t.field({ type: NutritionType, nullable: true, resolve: (m) => m.nutrition_facts ?? null }),
      ownership: t.string({ description: 'The studio that owns the photos.', resolve: (m) => m.ownership }),
      updatedAt: t.field({ type: 'DateTime', resolve: (m) => new Date(m.updated_at) }),
    }),
  });

  const ImageMetaType = builder.objectRef<ImageMetaRef>('ImageMeta').implement({
    fields: (t) => ({
      photoDate: t.field({ type: 'Date', nullable: true, resolve: ({ img }) => img.photo_date ?? null }),
      uploadDate: t.field({ type: 'DateTime', resolve: ({ img }) => img.upload_date }),
      resolution: t.string({ description: 'e.g. "1000x1000"', resolve: ({ img }) => `${img.width}x${img.height}` }),
      width: t.field({ type: 'NonNegativeInt', resolve: ({ img }) => img.width }),
      height: t.field({ type: 'NonNegativeInt', resolve: ({ img }) => img.height }),
      format: t.string({ resolve: ({ img }) => img.format }),
      contentType: t.string({ resolve: ({ img }) => img.content_type }),
      fileSizeBytes: t.field({ type: 'NonNegativeInt', resolve: ({ img }) => img.file_size_bytes }),
      ownership: t.string({ resolve: ({ ownership }) => ownership }),
      uploadedBy: t.string({ nullable: true, resolve: ({ img }) => img.uploaded_by ?? null }),
      sourceBatch: t.string({ nullable: true, resolve: ({ img }) => img.source_batch ?? null }),
    }),
  });

  const ProductImageMetaType = builder.objectRef<ProductRecord>('ProductImageMeta').implement({
    description: 'The image_meta scope: selecting it bills one `products.get`. Null for variants the product lacks.',
    fields: (t) =>
      Object.fromEntries(
        VARIANTS.map((v) => [
          variantField(v),
          t.field({
            type: ImageMetaType,
            nullable: true,
            resolve: (r) => (r.images[v] ? { img: r.images[v]!, ownership: r.meta.ownership } : null),
          }),
        ]),
      ),
  });

  const ProductImagesType = builder.objectRef<ProductRef>('ProductImages').implement({
    extensions: BILLED_TYPE,
    description:
      'Signed, one-shot image URLs (15 minutes, bound to your IP). Each distinct variant/size/format selected bills one `products.get.per_image` when the variant exists; absent variants are null and free.',
    fields: (t) =>
      Object.fromEntries(
        VARIANTS.map((v) => [
          variantField(v),
          t.field({
            type: 'URL',
            nullable: true,
            extensions: billing.image(v),
            args: {
              size: t.arg({ type: ImageSizeEnum, required: true, defaultValue: 'original' }),
              format: t.arg({ type: ImageFormatEnum, required: true, defaultValue: 'original' }),
            },
            resolve: (p, args) => {
              if (!p.record.images[v]) return null;
              const url = p.outcome.urls.get(
                imageKey({ variant: v, size: args.size as ImageSize, format: args.format as ImageFormat }),
              );
              if (!url) throw new Error(`image ${v} resolved outside the billed plan`);
              return url;
            },
          }),
        ]),
      ),
  });

  const ProductType = builder.objectRef<ProductRef>('Product').implement({
    extensions: BILLED_TYPE,
    description: [
      'A product. The selection is the bill: `productMeta` bills one `products.get`, `imageMeta` one `products.get`,',
      'each variant/size/format under `images` one `products.get.per_image` if it exists; a product with none of',
      'these selected bills `products.head`. A product selected several times in one operation (aliases, or in',
      'both `product` and `products`) is billed once per distinct scope/image. Absent products cost nothing.',
    ].join(' '),
    fields: (t) => ({
      id: t.id({
        description:
          'Stable identity: the GTIN-14 normal form of the barcode (14 digits; also accepted as `barcode`). The same product has the same `id` whichever printed form found it: use `Product.id` as the cache key of normalised caches (Apollo `keyFields`, urql `keys`). Free.',
        extensions: billing.included(),
        resolve: (p) => p.record.gtin14,
      }),
      barcode: t.field({
        type: 'Barcode',
        description: "The catalog's printed form.",
        extensions: billing.included(),
        resolve: (p) => p.record.meta.barcode,
      }),
      availableVariants: t.field({
        type: [VariantEnum],
        extensions: billing.included(),
        resolve: (p) => availableVariants(p.record),
      }),
      productMeta: t.field({
        type: ProductMetaType,
        extensions: billing.scope('productMeta'),
        resolve: (p) => {
          billed(p, 'productMeta');
          return p.record.meta;
        },
      }),
      imageMeta: t.field({
        type: ProductImageMetaType,
        extensions: billing.scope('imageMeta'),
        resolve: (p) => {
          billed(p, 'imageMeta');
          return p.record;
        },
      }),
      images: t.field({ type: ProductImagesType, extensions: billing.container(), resolve: (p) => p }),
    }),
  });

  const BulkCheckErrorEnum = builder.enumType('BulkCheckError', {
    values: {
      INVALID_BARCODE: { value: 'invalid_barcode', description: 'Not 8–14 digits, or a wrong GS1 check digit.' },
      OUT_OF_SCOPE: { value: 'out_of_scope', description: "Outside your API client's scope filter." },
    } as const,
  });

  const BulkCheckResultType = builder.objectRef<ReturnType<typeof bulkRows>[number]>('BulkCheckResult').implement({
    fields: (t) => ({
      barcode: t.exposeString('barcode', { description: 'As sent.' }),
      exists: t.exposeBoolean('exists'),
      variants: t.field({ type: [VariantEnum], resolve: (r) => r.variants }),
      error: t.field({
        type: BulkCheckErrorEnum,
        nullable: true,
        description: 'Why this row has no answer (not billed); null for a checked barcode.',
        resolve: (r) => r.error ?? null,
      }),
    }),
  });

  builder.queryFields((t) => ({
    product: t.field({
      type: ProductType,
      nullable: true,
      description: 'One product by barcode; null when the catalog has no such product (free).',
      args: { barcode: t.arg({ type: 'Barcode', required: true }) },
      extensions: billing.root((f, plan) => plan.product(toGtin14(f.args.barcode as string)!, f.selection())),
      resolve: (_, args, c) => productRef(c, args.barcode),
    }),
    products: t.field({
      type: [ProductType],
      nullable: { list: false, items: true },
      description: `Up to ${MAX_BARCODES} products in request order; null where absent (free).`,
      args: { barcodes: t.arg({ type: ['Barcode'], required: true }) },
      extensions: billing.root((f, plan) => {
        const barcodes = f.args.barcodes as string[];
        limitList(barcodes);
        const selection = f.selection();
        for (const b of barcodes) plan.product(toGtin14(b)!, selection);
      }),
      // An out-of-scope item is an error at its own index (graphql-js completes an Error item as a located
      // error), so the other products of the list still arrive.
      resolve: (_, args, c) =>
        args.barcodes.map((b) => {
          try {
            return productRef(c, b);
          } catch (e) {
            return e as never;
          }
        }),
    }),
    bulkCheck: t.field({
      type: [BulkCheckResultType],
      description: `Existence and available variants of up to ${MAX_BARCODES} barcodes, in request order. Bills \`products.bulk_check\` per distinct valid barcode; invalid ones are reported in their row and not billed.`,
      args: { barcodes: t.arg.stringList({ required: true }) },
      extensions: billing.root((f, plan) => {
        const barcodes = f.args.barcodes as string[];
        limitList(barcodes);
        planBulkCheck(plan.builder, barcodes);
      }),
      resolve: (_, args, c) => bulkRows(args.barcodes, args.barcodes.map(toGtin14), executed(c)),
    }),
  }));
  return { VariantEnum, ImageSizeEnum, ImageFormatEnum, ProductType };
}
