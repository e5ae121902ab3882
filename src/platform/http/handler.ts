// The request pipeline for every HTTP request: request id + client IP -> route match -> gate (auth, rate
// limit) -> handler -> response with the documented headers (docs/rest.md#response-headers); any error -> the contract error body.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ClientIpResolver } from '../../kernel/client-ip.ts';
import { AppError } from '../../kernel/errors.ts';
import type { Logger } from '../../kernel/logger.ts';
import {
  clientRequestId,
  createRequestContext,
  type RequestContext,
  validTraceparent,
} from '../../kernel/request-context.ts';
import { activeTraceId, tagActiveSpan, tracingOn } from '../../kernel/tracing.ts';
import type { CorsPolicy } from './cors.ts';
import { withDeprecation } from './deprecation.ts';
import type { Gate } from './gate.ts';
import { strictQuery } from './query.ts';
import { inServerSpan } from './request-span.ts';
import { CLIENT_CLOSED_REQUEST, commonHeaders, sendError, sendJson } from './respond.ts';
import type { ApiRequest, Method, RawHandler, Reply, Router } from './router.ts';

export interface HandlerOptions {
  router: Router;
  gate: Gate;
  log: Logger;
  trustedProxies: string[];
  /** Path prefix -> raw handler (e.g. /graphql), tried before the router. */
  raw?: Record<string, RawHandler>;
  /** Extra headers on every response (HSTS under TLS). */
  securityHeaders?: Record<string, string>;
  /** The account balance, for X-Credits-Remaining on authenticated responses that did not learn it otherwise. */
  balanceOf?: (accountId: string) => Promise<bigint | null>;
  /** The paths this listener serves (default: all); any other path answers 404 route_not_found. */
  serves?: (pathname: string) => boolean;
  /** The CORS policy of /api/v1 and /graphql (docs/rest.md#cors); without one, no CORS headers at all. */
  cors?: CorsPolicy;
  /** Told of every finished response (metrics): the route template, never the raw path; the error, if any. */
  observe?: (r: { method: string; route: string; status: number; seconds: number; error?: unknown }) => void;
}

/** What the pipeline learnt about a request, for `observe`. */
interface Seen {
  route: string;
  error?: unknown;
}

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

export function createHandler(opts: HandlerOptions) {
  const ips = new ClientIpResolver(opts.trustedProxies);
  const rawPaths = Object.entries(opts.raw ?? {});
  const securityHeaders = Object.entries(opts.securityHeaders ?? {});

  // docs/operations.md#traces: with tracing on, each request runs inside its server span.
  return function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const seen: Seen = { route: 'unmatched' };
    if (tracingOn())
      return inServerSpan(
        req,
        res,
        () => seen.route,
        () => serve(req, res, seen),
      );
    return serve(req, res, seen);
  };

  async function serve(req: IncomingMessage, res: ServerResponse, seen: Seen): Promise<void> {
    const ip = ips.resolve(req.socket.remoteAddress, req.headers['x-forwarded-for']);
    // docs/rest.md#request-ids: a valid inbound X-Request-ID is the id the client sees; traceparent is echoed.
    const ctx = createRequestContext(ip, opts.log, undefined, {
      clientRequestId: clientRequestId(req.headers['x-request-id']),
      traceparent: validTraceparent(req.headers.traceparent),
    });
    // The request's log entry names its trace: ours when tracing is on (continuing an inbound one), else the inbound.
    const traceId = activeTraceId() ?? ctx.traceparent?.slice(3, 35);
    tagActiveSpan('request_id', ctx.requestId);
    for (const [k, v] of securityHeaders) res.setHeader(k, v);
    // Once per request: at the end of its answer, or when its connection closed first (the client left: counted
    // and logged as 499, never as the 5xx a half-written answer may have begun as; docs/operations.md#client-aborts).
    let ended = false;
    const end = () => {
      if (ended) return;
      ended = true;
      const status = res.writableFinished ? res.statusCode : CLIENT_CLOSED_REQUEST;
      const method = (req.method ?? 'GET').toUpperCase();
      try {
        opts.observe?.({
          method: METHODS.has(method) ? method : 'OTHER',
          route: seen.route,
          status,
          seconds: (performance.now() - ctx.startedAt) / 1000,
          error: seen.error,
        });
      } catch (e) {
        ctx.log.warn({ err: e }, 'request metrics failed'); // never let counting take the process down
      }
      // Built only when it will be written (the bench and many deployments log at warn).
      if (!opts.log.isLevelEnabled('info')) return;
      opts.log.info(
        {
          request_id: ctx.requestId,
          ...(ctx.clientRequestId ? { client_request_id: ctx.clientRequestId } : {}),
          ...(traceId ? { trace_id: traceId } : {}),
          method: req.method,
          url: loggablePath(req.url),
          status,
          ms: Math.round(performance.now() - ctx.startedAt),
          ip,
          client_id: ctx.principal?.clientId,
        },
        'request',
      );
    };
    res.on('finish', end);
    res.on('close', end);
    try {
      const url = parseUrl(req.url);
      // The same answer as for a path that does not exist at all.
      if (opts.serves && !opts.serves(url.pathname)) {
        throw new AppError('route_not_found', `No endpoint ${url.pathname}.`);
      }
      // A preflight is answered before routing, authentication and rate limiting (it is never counted).
      if (opts.cors?.preflight(req, res, url.pathname)) {
        seen.route = 'preflight';
        return;
      }
      opts.cors?.decorate(req, res, url.pathname);
      for (const [prefix, h] of rawPaths) {
        if (url.pathname === prefix || url.pathname.startsWith(prefix + '/')) {
          seen.route = prefix;
          await h(req, res, ctx);
          return;
        }
      }
      await dispatch(req, res, ctx, url, opts, seen);
    } catch (e) {
      seen.error = e;
      sendError(res, ctx, e);
    }
  }
}

async function dispatch(
  req: IncomingMessage,
  res: ServerResponse,
  ctx: RequestContext,
  url: Target,
  opts: HandlerOptions,
  seen: Seen,
): Promise<void> {
  const method = (req.method ?? 'GET').toUpperCase() as Method;
  // docs/rest.md#response-headers: unauthenticated /api/v1 responses (public routes, unknown routes, failed authentication)
  // carry the per-IP minute bucket; the gate counts them with ctx.principal still null.
  const api = url.pathname.startsWith('/api/v1/');
  let matched;
  try {
    matched = opts.router.match(method, url.pathname);
  } catch (e) {
    if (api) await opts.gate.rateLimit(ctx);
    throw e;
  }
  const { route, params, deprecation } = matched;
  seen.route = route.path;
  // docs/versioning.md: every answer of a deprecated operation says so, errors included.
  if (deprecation) for (const k in deprecation) res.setHeader(k, deprecation[k]);
  const countable = route.rateLimited !== false && (route.access === 'client' || (route.access === 'public' && api));
  const onFailureOnly = countable && route.access === 'public' && route.ipBucketOnFailure === true;
  const counted = countable && !onFailureOnly;
  if (route.access === 'admin') await opts.gate.authenticateAdmin(req, ctx);
  if (route.access === 'client') {
    try {
      ctx.principal = await opts.gate.authenticateClient(req, ctx);
    } catch (e) {
      if (counted) await opts.gate.rateLimit(ctx);
      throw e;
    }
  }
  // docs/rest.md#response-headers: every authenticated response reports the balance, errors and free routes included. Paid
  // reads already know it from their debit; everything else reads it here, once, before answering.
  let status = 500;
  try {
    if (counted) await opts.gate.rateLimit(ctx);
    // docs/rest.md#query-parameters: a parameter the route does not take is refused here, before anything is charged.
    const query = route.query === 'ignored' ? url.searchParams : strictQuery(route.query ?? {}, url.search);
    const apiReq: ApiRequest = {
      method,
      path: url.pathname,
      params,
      query,
      headers: req.headers,
      raw: req,
      ctx,
    };
    const reply = await route.handler(apiReq);
    // A route's own Link (rel="next") and the deprecation link go out as one header.
    if (deprecation) reply.headers = withDeprecation(reply.headers, deprecation);
    status = reply.status;
    if (needsBalance(ctx, opts)) await reportBalance(ctx, opts);
    send(res, ctx, reply);
  } catch (e) {
    // A failure nobody was admitted for counts against the source IP; its own answer (not a 429) stands,
    // since the route limits its failures itself (the login throttle), and it carries the per-IP headers.
    if (onFailureOnly && !ctx.principal) await opts.gate.rateLimit(ctx).catch(() => undefined);
    if (needsBalance(ctx, opts)) await reportBalance(ctx, opts);
    seen.error = e;
    sendError(res, ctx, e);
    status = res.statusCode;
  } finally {
    if (counted || onFailureOnly)
      await opts.gate.settle(ctx, status).catch((e) => ctx.log.warn({ err: e }, 'rate-limit settle failed'));
  }
}

/** Checked before awaiting reportBalance: most answers (public routes, paid reads) need no read and no await. */
const needsBalance = (ctx: RequestContext, opts: HandlerOptions) =>
  ctx.principal !== null && ctx.creditsRemaining === null && opts.balanceOf !== undefined;

async function reportBalance(ctx: RequestContext, opts: HandlerOptions): Promise<void> {
  if (ctx.principal && ctx.creditsRemaining === null && opts.balanceOf) {
    ctx.creditsRemaining = await opts.balanceOf(ctx.principal.accountId).catch(() => null);
  }
}

function send(res: ServerResponse, ctx: RequestContext, reply: Reply): void {
  if (reply.json !== undefined || (!reply.bytes && !reply.stream)) {
    sendJson(res, ctx, reply.status, reply.json, reply.headers);
    return;
  }
  // The route's headers win over the common ones, as in a spread; assigned, not spread (the image path).
  res.writeHead(reply.status, reply.headers ? Object.assign(commonHeaders(ctx), reply.headers) : commonHeaders(ctx));
  if (reply.bytes) res.end(reply.bytes);
  else reply.stream!.pipe(res);
}

/** The request target as the router sees it. */
interface Target {
  pathname: string;
  /** The query as sent, with its `?` ('' when there is none). */
  search: string;
  searchParams: URLSearchParams;
}

/**
 * A path of unreserved characters only, no query, no `.`/`..` segment: the URL parser would give it back
 * unchanged, so it is taken as is (every image redemption is one). Anything else goes through the parser, as does
 * a leading `//` (the parser reads a host there).
 */
const PLAIN_PATH = /^(?!\/\/)(?:\/(?!\.\.?(?:\/|$))[A-Za-z0-9._~-]*)+$/;

/** @internal Exported for its tests. */
export function parseUrl(raw: string | undefined): Target {
  // searchParams made only when a route asks (most plain paths are image redemptions, which never do).
  if (raw !== undefined && PLAIN_PATH.test(raw))
    return {
      pathname: raw,
      search: '',
      get searchParams() {
        return new URLSearchParams();
      },
    };
  try {
    return new URL(raw ?? '/', 'http://localhost');
  } catch {
    throw new AppError('bad_request', 'Malformed request URL.');
  }
}

/** The path without query, and without the bearer part of a signed image URL (a live, redeemable token). */
function loggablePath(raw: string | undefined): string {
  const p = (raw ?? '/').split('?')[0];
  return p.startsWith('/api/v1/image/') ? `/api/v1/image/${p.slice(14, 26)}…` : p;
}
