// The listing module (docs/rest.md#listing): the free catalog listing with filters, a keyset cursor and the sync
// watermark. REST serves it at GET /api/v1/products; the GraphQL catalog connection pages through it.
import type { IncomingMessage } from 'node:http';
import type { Sql } from '../../platform/db/client.ts';
import type { Module } from '../../platform/module.ts';
import { listingRoutes } from './listing.routes.ts';
import { ListingService } from './listing.service.ts';

export {
  DEFAULT_PER_PAGE,
  decodeCursor,
  type ListingFilter,
  type ListingOrder,
  type ListingRequest,
  MAX_PER_PAGE,
  parseTimestamp,
  searchQuery,
  validateFilter,
} from './listing.params.ts';
export { type ListingItem, type ListingPage, ListingService } from './listing.service.ts';

export interface ListingModule extends Module {
  listing: ListingService;
}

export function createListingModule(deps: {
  sql: Sql;
  /** The sandbox catalog's pool (test clients list it), and what prepares it (seeding on first use). */
  sandboxSql: Sql;
  ensureSandbox: () => Promise<void>;
  /** The balance for the success body's meta block (the account-view module). */
  creditsRemaining: (accountId: string) => Promise<bigint | null>;
  /** The public origin `Link: rel=next` points at (PUBLIC_BASE_URL, else the origin the client called). */
  origin: (req: IncomingMessage) => string;
}): ListingModule {
  const listing = new ListingService({ live: deps.sql, test: deps.sandboxSql }, { test: deps.ensureSandbox });
  return { name: 'listing', listing, routes: listingRoutes(listing, deps.creditsRemaining, deps.origin) };
}
