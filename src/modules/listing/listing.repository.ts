// SQL of the catalog listing: keyset (or offset) pages over products with the listing filters and the
// client's scope filter, and the sync watermark.
import type { Sql } from '../../platform/db/client.ts';
import type { Variant } from '../catalog/index.ts';
import type { ListingCursor, ListingFilter, ListingOrder } from './listing.params.ts';
import { searchQuery } from './listing.params.ts';

export interface ListingRow {
  gtin14: string;
  barcode: string;
  brand: string;
  product_name: string;
  ownership: string;
  variants: Variant[];
  updated_at: Date;
  /** updated_at as exact microsecond UTC text (keyset position; a JS Date would drop the µs). */
  updated_key: string;
}

/** Lower-cased allowed lists (null = every), as the shared scope check in src/modules/auth/scope.ts compares them. */
interface ScopeLists {
  brands: string[] | null;
  ownerships: string[] | null;
}

export interface ListingSelect {
  filter: ListingFilter;
  scope: ScopeLists;
  order: ListingOrder;
  /** Rows with updated_at at or after this are left to the next sync (updated_at order only). */
  watermark: string;
  after: ListingCursor | null;
  offset: number;
  limit: number;
}

const US_TEXT = `'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'`;

/**
 * The newest updated_at a sync may serve: older than the start of every transaction still open in this
 * database (any of them may yet commit rows stamped with its start time, which is what now() is), and older
 * than now. Rows at or after it are served by the next sync, whose updated_since starts exactly there, so a
 * sync ordered by (updated_at, gtin14) never skips a row. The half-second margin covers the instant between a
 * transaction taking its start time and publishing it in pg_stat_activity. Needs to see the other sessions'
 * xact_start: the same database role (as here) or pg_read_all_stats.
 */
export async function listingWatermark(sql: Sql): Promise<string> {
  const rows = await sql<{ w: string }[]>`/* listingWatermark */
    select to_char((least(clock_timestamp(), min(xact_start)) - interval '500 milliseconds') at time zone 'UTC', ${sql.unsafe(US_TEXT)}) as w
    from pg_stat_activity
    where datname = current_database() and pid <> pg_backend_pid() and xact_start is not null`;
  return rows[0].w;
}

export async function listProducts(sql: Sql, s: ListingSelect): Promise<ListingRow[]> {
  const f = s.filter;
  const byUpdated = s.order === 'updated_at';
  return sql<ListingRow[]>`/* listProducts */
    select p.gtin14, p.barcode, p.brand, p.product_name, p.ownership, p.updated_at,
           to_char(p.updated_at at time zone 'UTC', ${sql.unsafe(US_TEXT)}) as updated_key,
           array(select i.variant from product_images i where i.gtin14 = p.gtin14
                 order by array_position(array['front','back','front_clean','back_clean'], i.variant)) as variants
    from products p
    where true
      ${s.scope.brands ? sql`and lower(p.brand) = any(${s.scope.brands}::text[])` : sql``}
      ${s.scope.ownerships ? sql`and lower(p.ownership) = any(${s.scope.ownerships}::text[])` : sql``}
      ${f.ownership !== undefined ? sql`and lower(p.ownership) = lower(${f.ownership})` : sql``}
      ${f.brand !== undefined ? sql`and lower(p.brand) = lower(${f.brand})` : sql``}
      ${f.search !== undefined ? sql`and p.search_doc @@ to_tsquery('simple', ${searchQuery(f.search)})` : sql``}
      ${f.minDigits !== undefined ? sql`and p.digits >= ${f.minDigits}` : sql``}
      ${f.hechsher !== undefined ? sql`and p.hechsher_symbols @> array[${f.hechsher}]::text[]` : sql``}
      ${f.kosherForPassover !== undefined ? sql`and p.kosher_for_passover = ${f.kosherForPassover}` : sql``}
      ${
        f.hasFront === undefined
          ? sql``
          : sql`and ${f.hasFront ? sql`` : sql`not`} exists (select 1 from product_images i where i.gtin14 = p.gtin14 and i.variant = 'front')`
      }
      ${f.updatedSince !== undefined ? sql`and p.updated_at >= ${f.updatedSince}::text::timestamptz` : sql``}
      ${byUpdated ? sql`and p.updated_at < ${s.watermark}::text::timestamptz` : sql``}
      ${s.after && byUpdated ? sql`and (p.updated_at, p.gtin14) > (${s.after.updatedAt!}::text::timestamptz, ${s.after.gtin14})` : sql``}
      ${s.after && !byUpdated ? sql`and p.gtin14 > ${s.after.gtin14}` : sql``}
    order by ${byUpdated ? sql`p.updated_at, p.gtin14` : sql`p.gtin14`}
    offset ${s.offset} limit ${s.limit}`;
}
