// GET /api/v1/products: the free listing (docs/rest.md#listing). Authenticated and rate-limited, billed 0.
import type { Route } from '../http/router.ts';
import { metaBlock } from '../http/respond.ts';
import type { AccountViewService } from '../account-view/account-view.service.ts';
import { parseListingQuery } from './listing.params.ts';
import type { ListingPage, ListingService } from './listing.service.ts';

export function renderListingItems(page: ListingPage) {
  return page.items.map((i) => ({
    barcode: i.barcode,
    brand: i.brand,
    product_name: i.product_name,
    ownership: i.ownership,
    variants: i.variants,
    updated_at: i.updated_at.toISOString(),
  }));
}

export function listingRoutes(listing: ListingService, accounts: AccountViewService): Route[] {
  return [
    {
      method: 'GET',
      path: '/api/v1/products',
      access: 'client',
      async handler({ query, ctx }) {
        const who = ctx.principal!;
        // Read before answering: the success body's meta block carries it (errors get it from the handler).
        ctx.creditsRemaining = await accounts.creditsRemaining(who.accountId);
        const page = await listing.list(who, parseListingQuery(query));
        return {
          status: 200,
          headers: { 'Cache-Control': 'private, no-cache' },
          json: {
            items: renderListingItems(page),
            page_info: {
              order: page.order,
              per_page: page.perPage,
              page: page.page,
              has_more: page.hasMore,
              next_cursor: page.nextCursor,
            },
            sync_until: page.syncUntil,
            meta: metaBlock(ctx),
          },
        };
      },
    },
  ];
}
