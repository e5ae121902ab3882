// The free catalog listing as a Relay connection over the same ListingService as GET /api/v1/products. The
// billing plugin already ran this page while planning (so paid selections on its nodes joined the one read
// plan and the one debit); the resolver only picks that page up again by its arguments.
import type { Builder } from '../../platform/graphql/builder.ts';
import type { GraphQLContext } from '../../platform/graphql/context.ts';
import type { ImageRecord, ProductMeta, ProductRecord } from '../catalog/index.ts';
import type { ListingItem, ListingPage } from '../listing/index.ts';
import { DEFAULT_PER_PAGE, MAX_PER_PAGE } from '../listing/index.ts';
import { billing } from './billing-rules.ts';
import { type CatalogArgs, catalogKey, catalogRequest } from './catalog.request.ts';
import { type ProductRef, type ProductRefs, productRef } from './product.graphql.ts';
import type { ProductWant } from './read-plan.ts';

interface CatalogEdgeValue {
  item: ListingItem;
  page: ListingPage;
}

/**
 * A node nobody pays for selects only barcode/availableVariants (plus __typename / an empty `images`): it is
 * answered from the listing row, which carries exactly those facts. Paid fields on it would fail loudly
 * (the want is empty), and cannot be reached: a node selecting them is in the read plan.
 */
function listedRef(item: ListingItem): ProductRef {
  const images = Object.fromEntries(item.variants.map((v) => [v, { variant: v } as ImageRecord]));
  const meta = {
    barcode: item.barcode,
    brand: item.brand,
    product_name: item.product_name,
    ownership: item.ownership,
    updated_at: item.updated_at,
  } as ProductMeta;
  const record: ProductRecord = { gtin14: item.gtin14, meta, images };
  const want: ProductWant = {
    gtin14: item.gtin14,
    productMeta: false,
    imageMeta: false,
    images: [],
    imagesOnly: false,
  };
  return { record, want, outcome: { status: 'ok', record, urls: new Map() } };
}

function nodeOf(c: GraphQLContext, item: ListingItem): ProductRef {
  const planned = c.op.plan?.products.some((w) => w.gtin14 === item.gtin14);
  if (!planned) return listedRef(item);
  const ref = productRef(c, item.barcode);
  // Deleted between the listing and the batched lookup (same operation): nothing was charged for it.
  if (!ref) throw new Error('listed product vanished before its paid fields resolved');
  return ref;
}

export function catalogGraphql(builder: Builder, { ProductType, VariantEnum }: ProductRefs) {
  const CatalogOrderEnum = builder.enumType('CatalogOrder', {
    description: 'BARCODE (the default) or UPDATED_AT (the default with `updatedSince`, for nightly syncs).',
    values: { BARCODE: { value: 'barcode' }, UPDATED_AT: { value: 'updated_at' } } as const,
  });

  const CatalogFilterInput = builder.inputType('CatalogFilter', {
    description: 'The filters of GET /api/v1/products, with the same rules; all optional, combined with AND.',
    fields: (t) => ({
      ownership: t.string({ description: 'The studio that owns the photos.' }),
      brand: t.string({ description: 'Exact brand (case-insensitive).' }),
      search: t.string({ description: 'Brand/name words; each matches as a prefix.' }),
      minDigits: t.int({ description: 'Only barcodes printed with at least this many digits (8 to 14).' }),
      hasFront: t.boolean({ description: 'Only products with (true) or without (false) a front image.' }),
      hechsher: t.string({ description: 'A hechsher symbol as printed, e.g. "OU-D".' }),
      kosherForPassover: t.boolean(),
      updatedSince: t.string({
        description:
          "ISO date (2026-11-26) or date-time with offset: only products updated at or after it. For a nightly sync, pass the previous traversal's `syncUntil`.",
      }),
    }),
  });

  const CatalogItemType = builder.objectRef<ListingItem>('CatalogItem').implement({
    description: 'The free summary of a listed product: the item of GET /api/v1/products.',
    fields: (t) => ({
      barcode: t.field({ type: 'Barcode', description: "The catalog's printed form.", resolve: (i) => i.barcode }),
      brand: t.exposeString('brand'),
      productName: t.string({ resolve: (i) => i.product_name }),
      ownership: t.exposeString('ownership'),
      variants: t.field({
        type: [VariantEnum],
        description: 'The image variants that exist.',
        resolve: (i) => i.variants,
      }),
      updatedAt: t.field({ type: 'DateTime', resolve: (i) => i.updated_at }),
    }),
  });

  const PageInfoType = builder.objectRef<{ page: ListingPage; after: string | null }>('PageInfo').implement({
    description: 'Relay page info. Paging is forward only (`first`/`after`).',
    fields: (t) => ({
      hasNextPage: t.boolean({ resolve: ({ page }) => page.hasMore }),
      hasPreviousPage: t.boolean({
        description: 'True when this page continues an `after` cursor.',
        resolve: ({ after }) => after !== null,
      }),
      startCursor: t.string({ nullable: true, resolve: ({ page }) => page.items[0]?.cursor ?? null }),
      endCursor: t.string({
        nullable: true,
        description:
          'The cursor of the last edge; pass it as `after` for the next page. While `hasNextPage` it equals REST `page_info.next_cursor`.',
        resolve: ({ page }) => page.items.at(-1)?.cursor ?? null,
      }),
    }),
  });

  const CatalogEdgeType = builder.objectRef<CatalogEdgeValue>('CatalogEdge').implement({
    fields: (t) => ({
      cursor: t.string({
        description: 'Opaque; the same cursor GET /api/v1/products issues (usable there as `cursor`).',
        resolve: ({ item }) => item.cursor,
      }),
      summary: t.field({
        type: CatalogItemType,
        description: 'The free listing summary (brand, name, ownership, variants, updatedAt).',
        resolve: ({ item }) => item,
      }),
      node: t.field({
        type: ProductType,
        description: [
          'The product. Free when only `barcode`/`availableVariants` are selected (no `products.head`: the listing is free).',
          'Paid fields (`productMeta`, `imageMeta`, `images { front … }`) are billed exactly as on `product`/`products`,',
          "for every product of the page, in the operation's one atomic charge, before any data resolves.",
        ].join(' '),
        // Planned by `catalog`: every listed product is billed for what its nodes select.
        extensions: billing.listed(),
        resolve: ({ item }, _, c) => nodeOf(c, item),
      }),
    }),
  });

  const CatalogConnectionType = builder
    .objectRef<{ page: ListingPage; after: string | null }>('CatalogConnection')
    .implement({
      fields: (t) => ({
        edges: t.field({ type: [CatalogEdgeType], resolve: ({ page }) => page.items.map((item) => ({ item, page })) }),
        pageInfo: t.field({ type: PageInfoType, resolve: (v) => v }),
        syncUntil: t.string({
          description:
            "Exclusive upper bound of `updatedAt` this traversal covers (REST `sync_until`, microsecond ISO text): the next sync's `updatedSince`.",
          resolve: ({ page }) => page.syncUntil,
        }),
      }),
    });

  builder.queryField('catalog', (t) =>
    t.field({
      type: CatalogConnectionType,
      description: [
        'The catalog listing (GET /api/v1/products as a Relay connection): same filters, same opaque cursors (stable under',
        "concurrent inserts and updates), your client's scope filter applied. Free: `edges { cursor summary }`, `pageInfo`,",
        '`syncUntil` and bare nodes (`barcode`, `availableVariants`). Paid fields on `node` are billed per listed product',
        'like `products(barcodes)` would bill them. Errors: BAD_REQUEST for a bad filter, `first` or `after`.',
      ].join(' '),
      args: {
        filter: t.arg({ type: CatalogFilterInput, required: false }),
        first: t.arg.int({
          required: false,
          defaultValue: DEFAULT_PER_PAGE,
          description: `1 to ${MAX_PER_PAGE}; default ${DEFAULT_PER_PAGE}.`,
        }),
        after: t.arg.string({
          required: false,
          description: 'An `endCursor` (or a REST `next_cursor` issued for the same filters and order).',
        }),
        order: t.arg({ type: CatalogOrderEnum, required: false }),
      },
      // The listing runs before the bill (free); paid node selections then join the one read plan.
      extensions: billing.root((f, plan) => {
        const args = f.args as CatalogArgs;
        plan.listing(catalogKey(args), catalogRequest(args), f.selection());
      }),
      resolve: (_, args, c) => {
        const page = c.op.catalog.get(catalogKey(args as CatalogArgs));
        if (!page) throw new Error('catalog resolved without the page loaded while planning');
        return { page, after: args.after ?? null };
      },
    }),
  );
}
