// REST query parameters of GET /api/v1/products/{barcode} -> a read plan (docs/rest.md#get-a-product).
import { AppError } from '../../kernel/errors.ts';
import type { QueryParams } from '../../platform/http/query.ts';
import {
  IMAGE_FORMATS,
  IMAGE_SIZES,
  type ImageFormat,
  type ImageSize,
  parseBarcode,
  VARIANTS,
  type Variant,
} from '../catalog/index.ts';
import { PlanBuilder, type ReadPlan } from './read-plan.ts';

/** What GET /api/v1/products/{barcode} takes (docs/rest.md#query-parameters); HEAD and bulk-check take nothing. */
export const PRODUCT_QUERY: QueryParams = { include: 'list', variants: 'list', image_size: 'one', image_format: 'one' };

const SCOPES = ['product_meta', 'image_meta', 'images'] as const;
type Scope = (typeof SCOPES)[number];

export interface ProductQuery {
  gtin14: string;
  scopes: Set<Scope>;
  /** The variants to return (explicit, or all four when `variants` was omitted). */
  variants: Variant[];
  size: ImageSize;
  format: ImageFormat;
}

/** 400 invalid_barcode, saying whether the format or the check digit is wrong. */
export function gtinOrThrow(barcode: string): string {
  const r = parseBarcode(barcode);
  if (r.ok) return r.gtin14;
  throw new AppError(
    'invalid_barcode',
    r.reason === 'format'
      ? `"${clip(barcode)}" is not a barcode: use 8 to 14 digits.`
      : `"${clip(barcode)}" has a wrong GS1 check digit.`,
  );
}

const clip = (s: string) => (s.length > 40 ? s.slice(0, 40) + '…' : s);

function list<T extends string>(name: string, raw: string | null, allowed: readonly T[]): T[] | null {
  if (raw === null) return null;
  const items = raw.split(',').map((s) => s.trim());
  for (const i of items) {
    if (!(allowed as readonly string[]).includes(i))
      throw new AppError('bad_request', `Unknown ${name} value "${clip(i)}"; use ${allowed.join(', ')}.`);
  }
  return [...new Set(items as T[])];
}

function one<T extends string>(name: string, raw: string | null, allowed: readonly T[], dflt: T): T {
  if (raw === null) return dflt;
  if (!(allowed as readonly string[]).includes(raw))
    throw new AppError('bad_request', `Unknown ${name} value "${clip(raw)}"; use ${allowed.join(', ')}.`);
  return raw as T;
}

export function parseProductQuery(barcode: string, q: URLSearchParams): ProductQuery {
  const gtin14 = gtinOrThrow(barcode);
  const include = list('include', q.get('include'), SCOPES);
  const variants = list('variants', q.get('variants'), VARIANTS);
  const size = one('image_size', q.get('image_size'), IMAGE_SIZES, 'original');
  const format = one('image_format', q.get('image_format'), IMAGE_FORMATS, 'original');
  // docs/billing.md#the-default-include: an omitted include means all three scopes, so `variants` alone still
  // returns (and bills) both metadata scopes on top of its images: the documented landmine, kept. An explicit
  // include is obeyed exactly; `variants` then only picks which images and image_meta entries are returned.
  const scopes = new Set<Scope>(include ?? SCOPES);
  return { gtin14, scopes, variants: variants ?? [...VARIANTS], size, format };
}

export function planOf(q: ProductQuery): ReadPlan {
  const b = new PlanBuilder();
  const w = b.product(q.gtin14);
  w.productMeta = q.scopes.has('product_meta');
  w.imageMeta = q.scopes.has('image_meta');
  w.imagesOnly = q.scopes.size === 1 && q.scopes.has('images');
  if (q.scopes.has('images'))
    for (const variant of q.variants) b.image(q.gtin14, { variant, size: q.size, format: q.format });
  return b.build();
}
