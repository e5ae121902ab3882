// What stands between a request and a route handler: authentication and rate limiting. The HTTP layer only
// calls this interface; the auth and limits modules (src/modules/auth, src/modules/limits) implement it, so REST and GraphQL pass the same gate.
import type { IncomingMessage } from 'node:http';
import type { Principal } from '../../kernel/principal.ts';
import type { RequestContext } from '../../kernel/request-context.ts';

export interface Gate {
  /** Verifies the bearer access token and every per-client control. Throws AppError (401/403). */
  authenticateClient(req: IncomingMessage, ctx: RequestContext): Promise<Principal>;
  /** Verifies the ADMIN_TOKEN bearer in constant time. Throws unauthenticated, or rate_limited for a guesser. */
  authenticateAdmin(req: IncomingMessage, ctx: RequestContext): Promise<void>;
  /**
   * Counts the request (as `weight` requests, default 1) against the caller's buckets, sets
   * ctx.rateLimitHeaders; throws rate_limited.
   */
  rateLimit(ctx: RequestContext, weight?: number): Promise<void>;
  /** After the response: status >= 500 gives the counted request back (5xx are not counted). */
  settle(ctx: RequestContext, status: number): Promise<void>;
}
