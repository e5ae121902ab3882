// Writing responses: the docs/rest.md#response-headers headers on every response, JSON bodies, and the error body.
import type { ServerResponse } from 'node:http';
import { credits, exactJson, unitsToString } from '../../kernel/credits.ts';
import { AppError, isDependencyDown } from '../../kernel/errors.ts';
import { isPgDataError } from '../../kernel/input.ts';
import { publicRequestId, type RequestContext } from '../../kernel/request-context.ts';
import { ClientAbortedError } from './body.ts';

/** The status recorded (metrics, the request log) for a request whose client left before the answer: nginx's 499. */
export const CLIENT_CLOSED_REQUEST = 499;

/** Headers every /api/v1 response carries (2xx, 4xx, 5xx, HEAD). */
export function commonHeaders(ctx: RequestContext): Record<string, string> {
  const h: Record<string, string> = {
    'X-Request-ID': publicRequestId(ctx),
    'X-Credits-Debited': unitsToString(ctx.creditsDebited),
  };
  for (const k in ctx.rateLimitHeaders) h[k] = ctx.rateLimitHeaders[k];
  if (ctx.traceparent) h.traceparent = ctx.traceparent;
  if (ctx.creditsRemaining !== null) h['X-Credits-Remaining'] = unitsToString(ctx.creditsRemaining);
  // A test client's answers say so: the bill is computed, nothing moved (docs/test-mode.md).
  if (ctx.principal?.mode === 'test') h['X-Test-Mode'] = '1';
  return h;
}

/** The `meta` block of successful bodies. */
export function metaBlock(ctx: RequestContext) {
  return {
    request_id: publicRequestId(ctx),
    credits_debited: credits(ctx.creditsDebited),
    credits_remaining: ctx.creditsRemaining === null ? null : credits(ctx.creditsRemaining),
    ...(ctx.principal?.mode === 'test' ? { test_mode: true } : {}),
  };
}

export function sendJson(
  res: ServerResponse,
  ctx: RequestContext,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = body === undefined ? '' : exactJson(body);
  res.writeHead(status, {
    ...commonHeaders(ctx),
    ...(body === undefined
      ? {}
      : { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': String(Buffer.byteLength(text)) }),
    ...headers,
  });
  res.end(text);
}

/** Maps any thrown value to the contract's error body; unexpected errors are logged and masked. */
export function toAppError(e: unknown, ctx: RequestContext): AppError {
  if (e instanceof AppError) return e;
  if (isDependencyDown(e)) {
    ctx.log.error({ err: e }, 'dependency unavailable');
    return new AppError('service_unavailable', 'A dependency is temporarily unavailable. Retry shortly.', {
      'Retry-After': '5',
    });
  }
  if (isPgDataError(e)) {
    // Input that validation let through and PostgreSQL refused: still the client's bad value, so a 400 that
    // counts against its rate limit, not a 500 (docs/input-validation.md#defence-in-depth). Logged to be
    // closed at the edge; the SQL text and the value stay out of the answer.
    const { code, routine } = e as { code: string; routine?: string };
    ctx.log.warn({ sqlstate: code, routine }, 'input refused by PostgreSQL: a parameter escaped validation');
    return new AppError('bad_request', 'A parameter value is out of range or malformed.');
  }
  ctx.log.error({ err: e }, 'unhandled error');
  return new AppError('internal_error', 'Internal error. Quote the request id when contacting support.');
}

export function sendError(res: ServerResponse, ctx: RequestContext, e: unknown): void {
  if (e instanceof ClientAbortedError || (res.destroyed && !res.headersSent)) {
    // Nobody is left to answer (docs/operations.md#client-aborts): an info line, the connection closed.
    ctx.log.info(
      { request_id: ctx.requestId, reason: e instanceof AppError ? e.message : 'connection closed' },
      'client closed the request',
    );
    ctx.creditsDebited = 0n;
    res.statusCode = CLIENT_CLOSED_REQUEST;
    res.destroy();
    return;
  }
  const err = toAppError(e, ctx);
  if (res.headersSent) {
    res.destroy();
    return;
  }
  // An error never charges: whatever a failed request reports, it debited nothing.
  ctx.creditsDebited = 0n;
  const body = err.body ?? { error: err.code, message: err.message };
  sendJson(res, ctx, err.status, { ...body, request_id: publicRequestId(ctx) }, err.headers);
}
