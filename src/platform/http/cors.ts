// One CORS policy for REST and GraphQL (docs/rest.md#cors). Browsers on the origins listed in CORS_ORIGINS may
// call /api/v1 and /graphql with a bearer token; credentials (cookies) are never allowed, so
// Access-Control-Allow-Credentials is never sent and no cookie-based session can be ridden from another site.
// A preflight (OPTIONS with Access-Control-Request-Method) is answered here, before routing, authentication and
// rate limiting: it carries no credentials and costs nothing, so it is neither counted nor refused as 405.
import type { IncomingMessage, ServerResponse } from 'node:http';

/** Exact origins, or any origin (development without CORS_ORIGINS), or none (production without it). */
export type CorsOrigins = readonly string[] | 'any';

const ALLOW_METHODS = 'GET, HEAD, POST, PUT, PATCH, DELETE';
const ALLOW_HEADERS = 'Authorization, Content-Type, Idempotency-Key, X-Request-ID, traceparent, tracestate';
/** What a browser script may read of an answer besides the simple headers. */
const EXPOSE_HEADERS = [
  'X-Request-ID',
  'X-Credits-Debited',
  'X-Credits-Remaining',
  'X-RateLimit-Limit-Minute',
  'X-RateLimit-Remaining-Minute',
  'X-RateLimit-Limit-Day',
  'X-RateLimit-Remaining-Day',
  'X-RateLimit-Reset',
  'RateLimit-Policy',
  'RateLimit',
  'Retry-After',
  'Idempotency-Replayed',
  'X-Test-Mode',
  'ETag',
  // docs/versioning.md: a deprecated operation's answers; Link also carries a listing's rel="next".
  'Deprecation',
  'Sunset',
  'Link',
].join(', ');
const MAX_AGE_SEC = '600';

/** The paths a browser may call across origins: the client API and GraphQL, never the admin API. */
const corsPath = (pathname: string) =>
  pathname === '/graphql' || pathname === '/api/v1' || pathname.startsWith('/api/v1/');

export class CorsPolicy {
  private readonly exact: Set<string>;
  constructor(private readonly origins: CorsOrigins) {
    this.exact = new Set(origins === 'any' ? [] : origins);
  }

  /** The Access-Control-Allow-Origin value for this request's Origin, or null when it may not read the answer. */
  private allowed(origin: string | undefined): string | null {
    if (!origin) return null;
    if (this.origins === 'any') return '*';
    return this.exact.has(origin) ? origin : null;
  }

  /**
   * Answers a preflight of a CORS path (true: answered, the pipeline stops). 204 with one Content-Length; an
   * origin not allowed gets the same 204 without Allow-Origin, which the browser takes as a refusal.
   */
  preflight(req: IncomingMessage, res: ServerResponse, pathname: string): boolean {
    if (req.method !== 'OPTIONS' || !req.headers['access-control-request-method'] || !corsPath(pathname)) return false;
    const allow = this.allowed(req.headers.origin);
    const h: Record<string, string> = { Vary: 'Origin', 'Content-Length': '0' };
    if (allow) {
      h['Access-Control-Allow-Origin'] = allow;
      h['Access-Control-Allow-Methods'] = ALLOW_METHODS;
      h['Access-Control-Allow-Headers'] = ALLOW_HEADERS;
      h['Access-Control-Max-Age'] = MAX_AGE_SEC;
    }
    res.writeHead(204, h);
    res.end();
    return true;
  }

  /** On an actual request of a CORS path: the headers that let an allowed origin read the answer. */
  decorate(req: IncomingMessage, res: ServerResponse, pathname: string): void {
    if (!corsPath(pathname)) return;
    res.setHeader('Vary', 'Origin');
    const allow = this.allowed(req.headers.origin);
    if (!allow) return;
    res.setHeader('Access-Control-Allow-Origin', allow);
    res.setHeader('Access-Control-Expose-Headers', EXPOSE_HEADERS);
  }
}
