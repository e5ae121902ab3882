// Per-request state shared by every layer that handles one HTTP request: id, client IP, logger, who is
// calling, and what the response headers must report (credits, rate limits).
import { newUlid } from './ids.ts';
import type { Logger } from './logger.ts';
import type { Principal } from './principal.ts';

const newRequestId = () => `req_${newUlid()}`;

/** An inbound X-Request-ID we adopt (docs/rest.md#request-ids): 1–128 of `A-Z a-z 0-9 . _ : -`. */
const CLIENT_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;
/** W3C Trace Context `traceparent`: version-traceid-parentid-flags, lower-case hex. */
const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;

/** The inbound X-Request-ID when it is one value of the safe pattern, else null (we generate one). */
export function clientRequestId(header: string | string[] | undefined): string | null {
  return typeof header === 'string' && CLIENT_REQUEST_ID.test(header) ? header : null;
}

/** A valid W3C `traceparent` (version 00 exactly four fields; no all-zero ids; version ff invalid), else null. */
export function validTraceparent(header: string | string[] | undefined): string | null {
  if (typeof header !== 'string') return null;
  const m = TRACEPARENT.exec(header.trim());
  if (!m) return null;
  const [, version, traceId, parentId, , rest] = m;
  if (version === 'ff' || /^0+$/.test(traceId) || /^0+$/.test(parentId)) return null;
  if (version === '00' && rest !== undefined) return null;
  return header.trim();
}

/** The request id the client sees (X-Request-ID, `meta.request_id`, `request_id`): its own when it sent a valid one. */
export const publicRequestId = (ctx: Pick<RequestContext, 'requestId' | 'clientRequestId'>) =>
  ctx.clientRequestId ?? ctx.requestId;

export interface RequestContext {
  /**
   * Our own id of this request, `req_` + ULID, unique: the key of its debit in the ledger, of Idempotency-Key
   * leases and of image grants. Never a client-chosen value (a reused one would make debits look applied).
   */
  requestId: string;
  /** The client's valid X-Request-ID, shown to it instead of requestId (publicRequestId); null when none was sent. */
  clientRequestId: string | null;
  /** The client's valid W3C traceparent, echoed and logged; null when none (or an invalid one) was sent. */
  traceparent: string | null;
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
}

export function createRequestContext(
  ip: string,
  log: Logger,
  requestId = newRequestId(),
  inbound: { clientRequestId?: string | null; traceparent?: string | null } = {},
): RequestContext {
  const clientId = inbound.clientRequestId ?? null;
  // The child logger (request_id on every line) is built on first use: most requests log one access line only,
  // which the handler writes through the parent with the id in it.
  let child: Logger | null = null;
  return {
    requestId,
    ip,
    get log() {
      return (child ??= log.child(
        clientId ? { request_id: requestId, client_request_id: clientId } : { request_id: requestId },
      ));
    },
    clientRequestId: clientId,
    traceparent: inbound.traceparent ?? null,
    startedAt: performance.now(),
    principal: null,
    creditsDebited: 0n,
    creditsRemaining: null,
    rateLimitHeaders: {},
  };
}
