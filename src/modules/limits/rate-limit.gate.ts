// The gate's rate-limit half (src/platform/http/gate.ts): counts a request before its handler runs, puts the
// docs/rest.md#response-headers headers on the context, refuses with 429 + Retry-After, and gives the point back when the
// request ends in a 5xx (server faults are not the client's to pay for). REST and GraphQL both call it.

import { AppError } from '../../kernel/errors.ts';
import type { RequestContext } from '../../kernel/request-context.ts';
import type { Gate } from '../../platform/http/gate.ts';
import type { BucketState } from './rate-limit.headers.ts';
import { rateLimitHeaders } from './rate-limit.headers.ts';
import type { Consumption, RateLimiter } from './rate-limiter.ts';

export class RateLimitGate implements Pick<Gate, 'rateLimit' | 'settle'> {
  private readonly counted = new WeakMap<RequestContext, Consumption[]>();
  /** The buckets as last counted for a request, refused or not (GET /account, GraphQL extensions.rateLimit). */
  private readonly last = new WeakMap<RequestContext, BucketState[]>();

  constructor(
    private readonly limiter: RateLimiter,
    private readonly now: () => number = Date.now,
  ) {}

  /** `weight` > 1 counts one request as several (each listing of a GraphQL operation beyond its first). */
  rateLimit = async (ctx: RequestContext, weight = 1): Promise<void> => {
    let c: Consumption;
    if (ctx.principal) {
      c = await this.limiter.forClient(ctx.principal, weight);
    } else {
      // Unauthenticated traffic (health probes, pricing, failed logins) must not go down with Redis:
      // its per-IP bucket fails open. Clients' buckets fail closed (503), so paid limits always hold.
      try {
        c = await this.limiter.forIp(ctx.ip, weight);
      } catch (e) {
        ctx.log.warn({ err: e }, 'per-IP rate limit unavailable; request let through');
        return;
      }
    }
    ctx.rateLimitHeaders = rateLimitHeaders(c.buckets, Math.floor(this.now() / 1000));
    this.last.set(ctx, c.buckets);
    if (!c.allowed) {
      const which = c.buckets
        .filter((b) => b.remaining <= 0)
        .map((b) => b.name)
        .join(' and ');
      throw new AppError('rate_limited', `Rate limit exceeded (${which} bucket). Retry after ${c.retryAfterSec} s.`, {
        'Retry-After': String(c.retryAfterSec),
      });
    }
    this.counted.set(ctx, [...(this.counted.get(ctx) ?? []), c]);
  };

  settle = async (ctx: RequestContext, status: number): Promise<void> => {
    const c = this.counted.get(ctx);
    if (!c) return;
    this.counted.delete(ctx);
    if (status >= 500) for (const one of c) await this.limiter.refund(one);
  };

  /** The caller's live budget as counted for this request (GET /account); null when not counted. */
  budget(ctx: RequestContext): BucketState[] | null {
    return this.last.get(ctx) ?? null;
  }
}
