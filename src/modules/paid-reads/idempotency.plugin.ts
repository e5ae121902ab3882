// Idempotency-Key on /graphql (docs/billing.md#idempotency-keys): the same rules as REST. The request identity
// is the document, operationName and variables. A stored answer is sent back byte for byte (with its original
// request id) before anything is parsed or executed; a first attempt runs with its debit bound to the key, and
// its response text is stored. A key charged by an attempt whose answer was lost is answered by executing the
// operation again against the committed charge (no debit), as a replay.
import type { FetchAPI, GraphQLParams } from 'graphql-yoga';
import { parseIdempotencyKey } from '../../kernel/parse-input.ts';
import type { Principal } from '../../kernel/principal.ts';
import type { RequestContext } from '../../kernel/request-context.ts';
import type { GraphQLContext } from '../../platform/graphql/context.ts';
import type { GraphQLPlugin } from '../../platform/graphql/direct-path.ts';
import { toGraphQLError } from '../../platform/graphql/http-status.ts';
import { persistedOperationId } from '../../platform/graphql/persisted-operations.ts';
import type { Gate } from '../../platform/http/gate.ts';
import { isQuote } from './billing.plugin.ts';
import { type IdempotencyRunner, type KeyedAttempt, markReplay } from './idempotency.runner.ts';
import { REPLAY_HEADERS, type StoredAnswer } from './idempotency.service.ts';

export interface IdempotencyPluginDeps {
  idempotency: IdempotencyRunner;
  gate: Gate;
}

const SCOPE = 'graphql';

/** The operation's identity, or null when the request cannot be read (yoga then answers it, for free). */
async function operationIdentity(request: Request, url: URL, jsonBody?: Buffer): Promise<unknown | null> {
  let p: { query?: unknown; operationName?: unknown; variables?: unknown; extensions?: unknown };
  if (request.method === 'POST') {
    try {
      p = JSON.parse(jsonBody ? jsonBody.toString('utf8') : await request.clone().text());
    } catch {
      return null;
    }
    if (!p || typeof p !== 'object' || Array.isArray(p)) return null;
  } else {
    const vars = url.searchParams.get('variables');
    let variables: unknown = vars;
    try {
      variables = vars === null ? null : JSON.parse(vars);
    } catch {
      /* yoga rejects it */
    }
    let extensions: unknown;
    try {
      extensions = JSON.parse(url.searchParams.get('extensions') ?? 'null');
    } catch {
      /* yoga rejects it */
    }
    p = {
      query: url.searchParams.get('query'),
      operationName: url.searchParams.get('operationName'),
      variables,
      extensions,
    };
  }
  const identity = { query: p.query ?? null, operationName: p.operationName ?? null, variables: p.variables ?? null };
  // A persisted operation is named by its id (docs/graphql.md#persisted-operations): the id is part of the identity.
  const persisted = persistedOperationId(p as GraphQLParams, request);
  return persisted === null ? identity : { ...identity, persisted };
}

export function idempotencyPlugin(deps: IdempotencyPluginDeps): GraphQLPlugin {
  // Per request, keyed by its RequestContext: the attempt to finish, or an error to answer with.
  const held = new WeakMap<RequestContext, { attempt?: KeyedAttempt; error?: unknown }>();

  /** A replay is counted against the rate limits like the request it repeats; it charges nothing. */
  async function answerReplay(
    c: GraphQLContext,
    principal: Principal,
    a: StoredAnswer,
    fetchAPI: FetchAPI,
    from?: Headers,
  ): Promise<Response> {
    const headers = new fetchAPI.Headers(from);
    markReplay(c.ctx, a);
    c.ctx.creditsRemaining = await deps.idempotency.currentBalance(principal.accountId).catch(() => null);
    for (const [k, v] of Object.entries({ ...a.headers, ...REPLAY_HEADERS })) headers.set(k, v);
    return new fetchAPI.Response(a.text, { status: a.status, headers });
  }

  return {
    // Its hooks act only on requests with the header: those take yoga's path (platform/graphql/direct-path.ts).
    yogaFor: (c) => c.req.headers['idempotency-key'] !== undefined,
    async onRequest({ request, serverContext, endResponse, url, fetchAPI }) {
      const c = serverContext as unknown as GraphQLContext;
      if (!request.headers.has('idempotency-key') || isQuote(c)) return;
      const identity = await operationIdentity(request, url, c.jsonBody);
      if (identity === null) return;
      let principal: Principal;
      try {
        principal = await deps.gate.authenticateClient(c.req, c.ctx);
      } catch {
        return; // the billing plugin authenticates again and reports the error (free)
      }
      try {
        const key = parseIdempotencyKey(request.headers.get('idempotency-key') ?? undefined, false) ?? '';
        const begun = await deps.idempotency.begin(c.ctx, principal.clientId, SCOPE, key, identity);
        if (begun.kind === 'replay') {
          c.ctx.principal = principal;
          c.op.counted = true;
          await deps.gate.rateLimit(c.ctx);
          endResponse(await answerReplay(c, principal, begun.answer, fetchAPI));
          return;
        }
        // The billing plugin binds the operation's debit to the key through this.
        c.op.idempotency = begun.attempt.read;
        held.set(c.ctx, { attempt: begun.attempt });
      } catch (e) {
        if (!c.op.counted) {
          c.ctx.principal = principal;
          c.op.counted = true;
          await deps.gate.rateLimit(c.ctx).catch((limited) => held.set(c.ctx, { error: limited }));
        }
        if (!held.has(c.ctx)) held.set(c.ctx, { error: e });
      }
    },
    onParams({ context, setResult }) {
      const c = context as unknown as GraphQLContext;
      const h = held.get(c.ctx);
      if (h?.error === undefined) return;
      held.delete(c.ctx);
      c.ctx.creditsDebited = 0n;
      setResult({ errors: [toGraphQLError(h.error, c.ctx, true)] });
    },
    async onResponse({ response, serverContext, setResponse, fetchAPI }) {
      const c = serverContext as unknown as GraphQLContext;
      const attempt = held.get(c.ctx)?.attempt;
      if (!attempt) return;
      held.delete(c.ctx);
      c.op.idempotency = null;
      // A rebuilt body reports the earlier charge; this request charged nothing.
      if (attempt.rebuilding) c.ctx.creditsDebited = 0n;
      try {
        const text = await response.clone().text();
        let failed = response.status >= 400;
        try {
          const body = JSON.parse(text) as { data?: unknown };
          failed ||= body.data === null || body.data === undefined;
        } catch {
          failed = true;
        }
        if (failed) {
          await attempt.failed();
          return;
        }
        const answer = {
          status: response.status,
          text,
          headers: {
            'Content-Type': response.headers.get('content-type') ?? 'application/json',
            ...(c.ctx.clientRequestId ? { 'X-Request-ID': c.ctx.clientRequestId } : {}),
          },
        };
        const rebuilt = await attempt.answered(answer);
        if (rebuilt && c.ctx.principal)
          setResponse(await answerReplay(c, c.ctx.principal, rebuilt, fetchAPI, response.headers));
      } catch (err) {
        c.ctx.log.warn({ err }, 'idempotent answer handling failed');
        await attempt.failed();
      }
    },
  };
}
