// The arguments of the GraphQL `catalog` field -> the same ListingRequest GET /api/v1/products builds, so both
// doors run the same filters, defaults and cursor checks. Pure: the billing plugin uses it while planning (it
// runs the listing before execution), and the connection resolver uses catalogKey() to find that page again.
import { AppError } from '../../kernel/errors.ts';
import {
  DEFAULT_PER_PAGE,
  decodeCursor,
  type ListingFilter,
  type ListingOrder,
  type ListingRequest,
  MAX_PER_PAGE,
  validateFilter,
} from '../listing/index.ts';

interface CatalogFilterArgs {
  ownership?: string | null;
  brand?: string | null;
  search?: string | null;
  minDigits?: number | null;
  hasFront?: boolean | null;
  hechsher?: string | null;
  kosherForPassover?: boolean | null;
  updatedSince?: string | null;
}

export interface CatalogArgs {
  filter?: CatalogFilterArgs | null;
  first?: number | null;
  after?: string | null;
  order?: ListingOrder | null;
}

const FILTER_KEYS: (keyof CatalogFilterArgs & keyof ListingFilter)[] = [
  'ownership',
  'brand',
  'search',
  'minDigits',
  'hasFront',
  'hechsher',
  'kosherForPassover',
  'updatedSince',
];

/** Validates like the REST listing (messages name the REST parameter, e.g. `min_digits`). */
export function catalogRequest(args: CatalogArgs): ListingRequest {
  const raw: ListingFilter = {};
  for (const k of FILTER_KEYS) {
    const v = args.filter?.[k];
    if (v !== undefined && v !== null) (raw as Record<string, unknown>)[k] = v;
  }
  const filter = validateFilter(raw);
  const first = args.first ?? DEFAULT_PER_PAGE;
  if (!Number.isInteger(first) || first < 1 || first > MAX_PER_PAGE) {
    throw new AppError('bad_request', `Invalid \`first\`: expected an integer from 1 to ${MAX_PER_PAGE}.`);
  }
  const order: ListingOrder = args.order ?? (filter.updatedSince ? 'updated_at' : 'barcode');
  const cursor = args.after === undefined || args.after === null ? null : decodeCursor(args.after, filter);
  if (cursor && cursor.order !== order)
    throw new AppError('bad_request', `Invalid \`after\`: it was issued for order ${cursor.order}.`);
  // Relay paging is cursor paging: the first page is page 1 without an offset, later pages follow `after`.
  return { filter, order, perPage: first, page: cursor ? null : 1, cursor };
}

/** Identifies one page by its arguments: aliases asking for the same page share one listing query. */
export function catalogKey(args: CatalogArgs): string {
  const f = args.filter ?? {};
  return JSON.stringify([
    FILTER_KEYS.map((k) => f[k] ?? null),
    args.first ?? null,
    args.after ?? null,
    args.order ?? null,
  ]);
}
