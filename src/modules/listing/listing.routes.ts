// GET /api/v1/products: the free listing (docs/rest.md#listing). Authenticated and rate-limited, billed 0.
import type { IncomingMessage } from 'node:http';
import { metaBlock } from '../../platform/http/respond.ts';
import type { Route } from '../../platform/http/router.ts';
import { LISTING_QUERY, parseListingQuery } from './listing.params.ts';
import type { ListingPage, ListingService } from './listing.service.ts';

function renderListingItems(page: ListingPage) {
  return page.items.map((i) => ({
    barcode: i.barcode,
    brand: i.brand,
    product_name: i.product_name,
    ownership: i.ownership,
    variants: i.variants,
    updated_at: i.updated_at.toISOString(),
  }));
}

/**
 * RFC 8288 `Link: <…>; rel="next"` (docs/rest.md#listing): this request's URL with `cursor` set to the next cursor
 * (and `page` dropped: the cursor continues an offset page too), or null on the last page.
 */
function nextLink(origin: string, path: string, query: URLSearchParams, nextCursor: string | null): string | null {
  if (!nextCursor) return null;
  const next = new URLSearchParams(query);
  next.delete('page');
  next.delete('cursor');
  next.set('cursor', nextCursor);
  return `<${origin}${path}?${next.toString()}>; rel="next"`;
}

export function listingRoutes(
  listing: ListingService,
  creditsRemaining: (accountId: string) => Promise<bigint | null>,
  /** The public origin links point at (PUBLIC_BASE_URL, else the origin the client called). */
  origin: (req: IncomingMessage) => string = () => '',
): Route[] {
  return [
    {
      method: 'GET',
      path: '/api/v1/products',
      access: 'client',
      query: LISTING_QUERY,
      async handler({ query, ctx, raw, path }) {
        const who = ctx.principal!;
        // Read before answering: the success body's meta block carries it (errors get it from the handler).
        ctx.creditsRemaining = await creditsRemaining(who.accountId);
        const page = await listing.list(who, parseListingQuery(query));
        const link = nextLink(origin(raw), path, query, page.nextCursor);
        return {
          status: 200,
          headers: { 'Cache-Control': 'private, no-cache', ...(link ? { Link: link } : {}) },
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
