// Per-request state shared by every layer that handles one HTTP request: id, client IP, logger, who is
// calling, and what the response headers must report (credits, rate limits).
import { newUlid } from './ids.ts';
import type { Logger } from './logger.ts';
import type { Principal } from './principal.ts';

export const newRequestId = () => `req_${newUlid()}`;

export interface RequestContext {
  requestId: string;
  ip: string;
  log: Logger;
  startedAt: number;
  principal: Principal | null;
  /** Units (1/10,000 credit) charged by this request; 0 unless a debit committed. */
  creditsDebited: bigint;
  /** Account balance after the request, when known (authenticated requests). */
  creditsRemaining: bigint | null;
  /** X-RateLimit-* / RateLimit-* headers computed by the rate limiter for this request. */
  rateLimitHeaders: Record<string, string>;
  /** Set while a paid read runs under an Idempotency-Key: its debit is bound to the key (or, rebuilt, skipped). */
  idempotency: IdempotentRead | null;
}

/** A paid read under an Idempotency-Key (docs/billing.md#idempotency-keys). */
export interface IdempotentRead {
  clientId: string;
  scope: string;
  key: string;
  /** Request id of the attempt holding the key's lease; its debit marks the key charged only while it holds it. */
  owner: string;
  /** The key's charge committed with an earlier attempt whose answer was lost: answer from it, never debit again. */
  charged: { requestId: string; cost: bigint; balance: bigint; lines: unknown[] } | null;
}

export function createRequestContext(ip: string, log: Logger, requestId = newRequestId()): RequestContext {
  // The child logger (request_id on every line) is built on first use: most requests log one access line only,
  // which the handler writes through the parent with the id in it.
  let child: Logger | null = null;
  return {
    requestId,
    ip,
    get log() {
      return (child ??= log.child({ request_id: requestId }));
    },
    startedAt: performance.now(),
    principal: null,
    creditsDebited: 0n,
    creditsRemaining: null,
    rateLimitHeaders: {},
    idempotency: null,
  };
}
