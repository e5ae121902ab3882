// GET /api/v1/products query parameters -> a validated listing request. Every bad value is a 400 that names
// the parameter. Also the opaque cursor: base64url(JSON) of the keyset position and the sync watermark.
import { createHash } from 'node:crypto';
import { AppError } from '../../kernel/errors.ts';
import { isCalendarDate, isClockTime, isUtcInstant, MAX_YEAR, MIN_YEAR, pgTextProblem } from '../../kernel/input.ts';
import type { QueryParams } from '../../platform/http/query.ts';

export type ListingOrder = 'barcode' | 'updated_at';

export interface ListingFilter {
  ownership?: string;
  brand?: string;
  /** Brand/name words; each matches as a prefix. */
  search?: string;
  minDigits?: number;
  hasFront?: boolean;
  hechsher?: string;
  kosherForPassover?: boolean;
  /** Normalised ISO timestamp (inclusive lower bound of updated_at). */
  updatedSince?: string;
}

export interface ListingRequest {
  filter: ListingFilter;
  order: ListingOrder;
  perPage: number;
  /** Offset paging (1-based); null in cursor mode. */
  page: number | null;
  cursor: ListingCursor | null;
}

/** Keyset position after the last item served, plus the watermark fixed by the first page. */
export interface ListingCursor {
  order: ListingOrder;
  gtin14: string;
  /** updated_at of the last item, microsecond text (updated_at order only). */
  updatedAt?: string;
  /** Upper bound (exclusive) of updated_at for the whole traversal. */
  watermark: string;
  /** Digest of the filters the cursor was issued for. */
  filterHash: string;
}

export const DEFAULT_PER_PAGE = 50;
export const MAX_PER_PAGE = 500;
/** Offset paging stops here; beyond it use the cursor (deep OFFSETs scan and discard every earlier row). */
const MAX_OFFSET = 100_000;

const KNOWN = new Set([
  'ownership',
  'brand',
  'search',
  'min_digits',
  'has_front',
  'hechsher',
  'kosher_for_passover',
  'updated_since',
  'order',
  'page',
  'per_page',
  'cursor',
]);

/** What GET /api/v1/products takes (docs/rest.md#query-parameters): every filter and paging parameter, once each. */
export const LISTING_QUERY: QueryParams = Object.fromEntries([...KNOWN].map((k) => [k, 'one' as const]));

const bad = (param: string, why: string) => new AppError('bad_request', `Invalid \`${param}\`: ${why}`);

function bool(param: string, v: string): boolean {
  if (v === 'true' || v === '1') return true;
  if (v === 'false' || v === '0') return false;
  throw bad(param, 'expected true or false.');
}

function int(param: string, v: string, min: number, max: number): number {
  if (!/^\d{1,7}$/.test(v)) throw bad(param, `expected an integer from ${min} to ${max}.`);
  const n = Number(v);
  if (n < min || n > max) throw bad(param, `expected an integer from ${min} to ${max}.`);
  return n;
}

function text(param: string, v: string, max = 200): string {
  const t = v.trim();
  if (!t || t.length > max) throw bad(param, `expected 1 to ${max} characters.`);
  const problem = pgTextProblem(t);
  if (problem) throw bad(param, `${problem}.`);
  return t;
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})?)?$/;

/** ISO date (UTC midnight) or date-time (offset required) -> ISO text Postgres reads exactly (µs kept). */
export function parseTimestamp(param: string, v: string): string {
  // An unencoded `+` in a query string arrives as a space: read `…T10:00:00 02:00` as `+02:00`.
  const m = ISO.exec(v.trim().replace(/(T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?) (\d{2}:\d{2})$/, '$1+$2'));
  if (!m) throw bad(param, 'expected an ISO 8601 date (2026-11-26) or date-time with offset (2026-11-26T10:00:00Z).');
  if (m[4] !== undefined && m[8] === undefined) throw bad(param, 'a date-time needs a UTC offset (Z or ±hh:mm).');
  // Date.parse would roll 2026-02-31 over into March; refuse it instead, and years PostgreSQL or a sync
  // cannot mean (docs/input-validation.md#dates).
  if (!isCalendarDate(`${m[1]}-${m[2]}-${m[3]}`)) throw bad(param, `not a real date from ${MIN_YEAR} to ${MAX_YEAR}.`);
  if (m[4] !== undefined && !isClockTime(Number(m[4]), Number(m[5]), Number(m[6] ?? 0))) {
    throw bad(param, 'not a valid time of day.');
  }
  if (m[8] !== undefined && m[8] !== 'Z' && (Number(m[8].slice(1, 3)) > 15 || Number(m[8].slice(4)) > 59)) {
    throw bad(param, 'the UTC offset must be within ±15:59.');
  }
  const normalised = m[4] === undefined ? `${m[1]}-${m[2]}-${m[3]}T00:00:00Z` : m[0].replace(' ', 'T');
  if (Number.isNaN(Date.parse(normalised.replace(/(\.\d{3})\d+/, '$1')))) throw bad(param, 'not a valid date-time.');
  return normalised;
}

/** Brand/name search -> a prefix tsquery over the `simple` configuration (products.search_doc). */
export function searchQuery(v: string): string {
  const words = (v.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).slice(0, 10).map((w) => w.slice(0, 64));
  if (!words.length) throw bad('search', 'expected at least one letter or digit.');
  return words.map((w) => `${w}:*`).join(' & ');
}

export function validateFilter(f: ListingFilter): ListingFilter {
  const out: ListingFilter = {};
  if (f.ownership !== undefined) out.ownership = text('ownership', f.ownership);
  if (f.brand !== undefined) out.brand = text('brand', f.brand);
  if (f.search !== undefined) {
    out.search = text('search', f.search);
    searchQuery(out.search);
  }
  if (f.minDigits !== undefined) {
    if (!Number.isInteger(f.minDigits) || f.minDigits < 8 || f.minDigits > 14)
      throw bad('min_digits', 'expected an integer from 8 to 14.');
    out.minDigits = f.minDigits;
  }
  if (f.hasFront !== undefined) out.hasFront = f.hasFront;
  if (f.hechsher !== undefined) out.hechsher = text('hechsher', f.hechsher, 40);
  if (f.kosherForPassover !== undefined) out.kosherForPassover = f.kosherForPassover;
  if (f.updatedSince !== undefined) out.updatedSince = parseTimestamp('updated_since', f.updatedSince);
  return out;
}

export function filterHash(f: ListingFilter): string {
  const canon = Object.keys(f)
    .sort()
    .map((k) => [k, f[k as keyof ListingFilter]]);
  return createHash('sha256').update(JSON.stringify(canon)).digest('base64url').slice(0, 16);
}

export function encodeCursor(c: ListingCursor): string {
  const o = {
    v: 1,
    o: c.order === 'barcode' ? 'b' : 'u',
    g: c.gtin14,
    t: c.updatedAt,
    w: c.watermark,
    f: c.filterHash,
  };
  return Buffer.from(JSON.stringify(o)).toString('base64url');
}

export function decodeCursor(s: string, filter: ListingFilter): ListingCursor {
  let o: { v?: unknown; o?: unknown; g?: unknown; t?: unknown; w?: unknown; f?: unknown };
  try {
    if (s.length > 512 || !/^[A-Za-z0-9_-]+$/.test(s)) throw new Error('shape');
    o = JSON.parse(Buffer.from(s, 'base64url').toString('utf8'));
  } catch {
    throw bad('cursor', 'not a cursor issued by this API.');
  }
  // A cursor is client input even when well-formed: every field is checked before it reaches SQL
  // (docs/input-validation.md#cursor).
  if (typeof o !== 'object' || o === null || Array.isArray(o)) throw bad('cursor', 'not a cursor issued by this API.');
  const order = o.o === 'b' ? 'barcode' : o.o === 'u' ? 'updated_at' : null;
  if (
    o.v !== 1 ||
    !order ||
    typeof o.g !== 'string' ||
    !/^\d{14}$/.test(o.g) ||
    typeof o.w !== 'string' ||
    !isUtcInstant(o.w) ||
    (order === 'updated_at' && (typeof o.t !== 'string' || !isUtcInstant(o.t))) ||
    typeof o.f !== 'string'
  ) {
    throw bad('cursor', 'not a cursor issued by this API.');
  }
  if (o.f !== filterHash(filter))
    throw bad('cursor', 'it was issued for other filters; keep the filters of the first page.');
  return {
    order,
    gtin14: o.g,
    updatedAt: order === 'updated_at' ? (o.t as string) : undefined,
    watermark: o.w,
    filterHash: o.f,
  };
}

/** REST: URLSearchParams -> ListingRequest. Unknown parameters are refused (a typo must not widen a sync). */
export function parseListingQuery(q: URLSearchParams): ListingRequest {
  for (const k of q.keys()) if (!KNOWN.has(k)) throw new AppError('bad_request', `Unknown query parameter \`${k}\`.`);
  for (const k of KNOWN) if (q.getAll(k).length > 1) throw bad(k, 'given more than once.');
  const get = (k: string) => q.get(k) ?? undefined;
  const raw: ListingFilter = {
    ownership: get('ownership'),
    brand: get('brand'),
    search: get('search'),
    minDigits: get('min_digits') === undefined ? undefined : int('min_digits', get('min_digits')!, 8, 14),
    hasFront: get('has_front') === undefined ? undefined : bool('has_front', get('has_front')!),
    hechsher: get('hechsher'),
    kosherForPassover:
      get('kosher_for_passover') === undefined ? undefined : bool('kosher_for_passover', get('kosher_for_passover')!),
    updatedSince: get('updated_since'),
  };
  for (const k of Object.keys(raw) as (keyof ListingFilter)[]) if (raw[k] === undefined) delete raw[k];
  const filter = validateFilter(raw);
  const perPage = get('per_page') === undefined ? DEFAULT_PER_PAGE : int('per_page', get('per_page')!, 1, MAX_PER_PAGE);
  const orderParam = get('order');
  if (orderParam !== undefined && orderParam !== 'barcode' && orderParam !== 'updated_at')
    throw bad('order', 'expected barcode or updated_at.');
  const order: ListingOrder =
    (orderParam as ListingOrder | undefined) ?? (filter.updatedSince ? 'updated_at' : 'barcode');
  const cursorParam = get('cursor');
  const pageParam = get('page');
  if (cursorParam !== undefined && pageParam !== undefined)
    throw bad('page', 'use either `page` or `cursor`, not both.');
  const page = pageParam === undefined ? (cursorParam === undefined ? 1 : null) : int('page', pageParam, 1, MAX_OFFSET);
  if (page !== null && (page - 1) * perPage > MAX_OFFSET)
    throw bad('page', `offset paging stops at ${MAX_OFFSET} items; continue with \`cursor\`.`);
  const cursor = cursorParam === undefined ? null : decodeCursor(cursorParam, filter);
  if (cursor && cursor.order !== order) throw bad('cursor', `it was issued for order=${cursor.order}.`);
  return { filter, order, perPage, page, cursor };
}
