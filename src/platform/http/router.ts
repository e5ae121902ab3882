// A small router: exact segments and `:param` segments, per method. Unknown path -> 404 route_not_found;
// known path with another method -> 405 method_not_allowed with Allow. HEAD falls back to GET (node drops
// the body of a HEAD response).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import { AppError } from '../../kernel/errors.ts';
import type { RequestContext } from '../../kernel/request-context.ts';
import { type Deprecation, deprecationHeaders } from './deprecation.ts';
import type { QuerySpec } from './query.ts';

export type Method = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Who may call a route: anyone, an API client with a bearer access token, or an operator with ADMIN_TOKEN. */
type Access = 'public' | 'client' | 'admin';

export interface ApiRequest {
  method: Method;
  path: string;
  params: Record<string, string>;
  /** The checked query (docs/rest.md#query-parameters): one value per declared parameter, a list in its comma form. */
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
  /**
   * The query parameters the route takes (docs/rest.md#query-parameters), checked before the handler runs: any
   * other is `400 unknown_parameter`. Omitted: none.
   */
  query?: QuerySpec;
  /**
   * The operation is deprecated (docs/versioning.md): every answer carries Deprecation, Sunset (when set) and
   * Link rel="deprecation", and schema/openapi.yaml must mark its operation `deprecated: true`.
   */
  deprecated?: Deprecation;
  handler: (req: ApiRequest) => Promise<Reply>;
}

/** A handler that takes over the raw request/response (GraphQL). */
export type RawHandler = (req: IncomingMessage, res: ServerResponse, ctx: RequestContext) => Promise<void>;

interface Compiled {
  route: Route;
  /** Positions and values of the literal segments, compared before any parameter is decoded. */
  literalAt: number[];
  literals: string[];
  /** Positions and names of the `:param` segments. */
  paramAt: number[];
  names: string[];
  /** The headers of a deprecated route, built (and checked) once when it is added. */
  deprecation?: Record<string, string>;
}

export interface Match {
  route: Route;
  params: Record<string, string>;
  /** Set when the route is deprecated: the headers every answer of it carries. */
  deprecation?: Record<string, string>;
}

export class Router {
  /** Every route added, in order (the start-up check of the OpenAPI document reads their declarations). */
  readonly routes: Route[] = [];
  /** By segment count, each list in the order routes were added (the first match wins). */
  private readonly bySegments = new Map<number, Compiled[]>();

  add(...routes: Route[]): this {
    for (const route of routes) {
      this.routes.push(route);
      // docs/rest.md#query-parameters: the API's routes always check their query; only pages may ignore it.
      if (route.query === 'ignored' && /^\/(api|admin)\/v1\//.test(route.path)) {
        throw new Error(`${route.method} ${route.path}: an API route must declare its query parameters`);
      }
      const segments = route.path.split('/').filter(Boolean);
      const c: Compiled = { route, literalAt: [], literals: [], paramAt: [], names: [] };
      if (route.deprecated) c.deprecation = deprecationHeaders(`${route.method} ${route.path}`, route.deprecated);
      segments.forEach((seg, i) => {
        if (seg.startsWith(':')) {
          c.paramAt.push(i);
          c.names.push(seg.slice(1));
        } else {
          c.literalAt.push(i);
          c.literals.push(seg);
        }
      });
      const list = this.bySegments.get(segments.length) ?? [];
      list.push(c);
      this.bySegments.set(segments.length, list);
    }
    return this;
  }

  /** Returns the match, or throws route_not_found / method_not_allowed. */
  match(method: string, path: string): Match {
    const parts = path.split('/').filter(Boolean);
    let allowed: Set<string> | null = null;
    let fallback: Match | null = null;
    for (const c of this.bySegments.get(parts.length) ?? []) {
      const params = matchSegments(c, parts);
      if (!params) continue;
      if (c.route.method === method) return { route: c.route, params, deprecation: c.deprecation };
      (allowed ??= new Set()).add(c.route.method);
      if (method === 'HEAD' && c.route.method === 'GET')
        fallback = { route: c.route, params, deprecation: c.deprecation };
    }
    if (fallback) return fallback;
    if (!allowed) throw new AppError('route_not_found', `No endpoint ${path}.`);
    if (allowed.has('GET')) allowed.add('HEAD');
    throw new AppError('method_not_allowed', `${method} is not allowed here.`, {
      Allow: [...allowed].sort().join(', '),
    });
  }
}

/** The route's parameters when `parts` (of the route's segment count) match it, else null. */
function matchSegments(c: Compiled, parts: string[]): Record<string, string> | null {
  for (let k = 0; k < c.literalAt.length; k++) if (c.literals[k] !== parts[c.literalAt[k]]) return null;
  const params: Record<string, string> = {};
  for (let k = 0; k < c.paramAt.length; k++) {
    try {
      params[c.names[k]] = decodeURIComponent(parts[c.paramAt[k]]);
    } catch {
      return null;
    }
  }
  return params;
}
