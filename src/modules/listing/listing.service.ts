// The free catalog listing (docs/rest.md#listing GET /api/v1/products; GraphQL `catalog`): pages of product summaries
// with the client's scope filter applied in SQL, consistent with src/modules/auth/scope.ts (case-insensitive lists).

import type { ClientMode, Principal } from '../../kernel/principal.ts';
import type { Sql } from '../../platform/db/client.ts';
import { encodeCursor, filterHash, type ListingOrder, type ListingRequest } from './listing.params.ts';
import { type ListingRow, listingWatermark, listProducts } from './listing.repository.ts';

export interface ListingItem extends Omit<ListingRow, 'updated_key'> {
  /** Opaque cursor positioned just after this item (Relay edges). */
  cursor: string;
}

export interface ListingPage {
  items: ListingItem[];
  order: ListingOrder;
  perPage: number;
  page: number | null;
  hasMore: boolean;
  nextCursor: string | null;
  /** Exclusive upper bound of updated_at covered by this traversal: the next sync's updated_since. */
  syncUntil: string;
}

const norm = (l: string[] | null) => (l ? l.map((x) => x.trim().toLowerCase()) : null);

export class ListingService {
  constructor(
    /** One pool per catalog: the live one, and the sandbox's for test clients (docs/test-mode.md). */
    private readonly catalogs: Record<ClientMode, Sql>,
    /** Runs before a catalog is listed (the sandbox is seeded on first use). */
    private readonly before: Partial<Record<ClientMode, () => Promise<void>>> = {},
  ) {}

  async list(who: Pick<Principal, 'scope' | 'mode'>, req: ListingRequest): Promise<ListingPage> {
    const sql = this.catalogs[who.mode];
    await this.before[who.mode]?.();
    // The first page fixes the watermark; every later page of the traversal carries it in its cursor.
    const watermark = req.cursor?.watermark ?? (await listingWatermark(sql));
    const rows = await listProducts(sql, {
      filter: req.filter,
      scope: { brands: norm(who.scope.brands), ownerships: norm(who.scope.ownerships) },
      order: req.order,
      watermark,
      after: req.cursor,
      offset: req.page ? (req.page - 1) * req.perPage : 0,
      limit: req.perPage + 1,
    });
    const hasMore = rows.length > req.perPage;
    const fh = filterHash(req.filter);
    const cursorAfter = (r: ListingRow) =>
      encodeCursor({
        order: req.order,
        gtin14: r.gtin14,
        updatedAt: req.order === 'updated_at' ? r.updated_key : undefined,
        watermark,
        filterHash: fh,
      });
    const items = rows.slice(0, req.perPage).map((r) => ({
      gtin14: r.gtin14,
      barcode: r.barcode,
      brand: r.brand,
      product_name: r.product_name,
      ownership: r.ownership,
      variants: r.variants,
      updated_at: r.updated_at,
      cursor: cursorAfter(r),
    }));
    return {
      items,
      order: req.order,
      perPage: req.perPage,
      page: req.page,
      hasMore,
      nextCursor: hasMore && items.length ? items[items.length - 1].cursor : null,
      syncUntil: watermark,
    };
  }
}
