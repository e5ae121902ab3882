// A small router: exact segments and `:param` segments, per method. Unknown path -> 404 route_not_found;
// known path with another method -> 405 method_not_allowed with Allow. HEAD falls back to GET (node drops
// the body of a HEAD response).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import type { RequestContext } from '../kernel/request-context.ts';
import { AppError } from '../kernel/errors.ts';

export type Method = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Who may call a route: anyone, an API client with a bearer access token, or an operator with ADMIN_TOKEN. */
export type Access = 'public' | 'client' | 'admin';

export interface ApiRequest {
  method: Method;
  path: string;
  params: Record<string, string>;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  raw: IncomingMessage;
  ctx: RequestContext;
}

export interface Reply {
  status: number;
  /** JSON body (sent with the documented headers (docs/rest.md#response-headers)). */
  json?: unknown;
  /** Or raw bytes / a stream (images), with their own Content-Type in headers. */
  bytes?: Buffer;
  stream?: Readable;
  headers?: Record<string, string>;
}

export interface Route {
  method: Method;
  path: string;
  access: Access;
  /** Counted against the client's rate-limit buckets (default: true for client routes). */
  rateLimited?: boolean;
  /**
   * Public routes only: count against the per-IP bucket only when the request fails. /auth/token sets it:
   * a successful exchange counts against the client's own buckets instead (docs/limits.md).
   */
  ipBucketOnFailure?: boolean;
  handler: (req: ApiRequest) => Promise<Reply>;
}

/** A handler that takes over the raw request/response (GraphQL). */
export type RawHandler = (req: IncomingMessage, res: ServerResponse, ctx: RequestContext) => Promise<void>;

interface Compiled {
  route: Route;
  segments: string[];
}

export interface Match {
  route: Route;
  params: Record<string, string>;
}

export class Router {
  private readonly compiled: Compiled[] = [];

  add(...routes: Route[]): this {
    for (const route of routes) this.compiled.push({ route, segments: route.path.split('/').filter(Boolean) });
    return this;
  }

  /** Returns the match, or throws route_not_found / method_not_allowed. */
  match(method: string, path: string): Match {
    const parts = path.split('/').filter(Boolean);
    const allowed = new Set<string>();
    let fallback: Match | null = null;
    for (const c of this.compiled) {
      const params = matchSegments(c.segments, parts);
      if (!params) continue;
      if (c.route.method === method) return { route: c.route, params };
      allowed.add(c.route.method);
      if (method === 'HEAD' && c.route.method === 'GET') fallback = { route: c.route, params };
    }
    if (fallback) return fallback;
    if (allowed.size === 0) throw new AppError('route_not_found', `No endpoint ${path}.`);
    if (allowed.has('GET')) allowed.add('HEAD');
    throw new AppError('method_not_allowed', `${method} is not allowed here.`, {
      Allow: [...allowed].sort().join(', '),
    });
  }
}

function matchSegments(pattern: string[], parts: string[]): Record<string, string> | null {
  if (pattern.length !== parts.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i];
    if (p.startsWith(':')) {
      let v: string;
      try {
        v = decodeURIComponent(parts[i]);
      } catch {
        return null;
      }
      params[p.slice(1)] = v;
    } else if (p !== parts[i]) return null;
  }
  return params;
}
