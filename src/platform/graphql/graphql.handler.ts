// /graphql: graphql-yoga behind our HTTP pipeline. Before the body is even read, the request is authenticated
// (when it sends a token) and counted against its client's buckets or its IP's (admission.ts); the body is
// read with the JSON limit (413 beyond), the response gets the same headers as REST, and every counted
// request settles its rate-limit count like a REST request. GraphiQL (self-hosted, graphiql.page.ts) answers
// browsers (GET, text/html) unless turned off.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { GraphQLSchema } from 'graphql';
import { GraphQLError } from 'graphql';
import { createYoga, type Plugin } from 'graphql-yoga';
import { unmarkExactJson } from '../../kernel/credits.ts';
import { AppError, graphqlCode } from '../../kernel/errors.ts';
import type { RequestContext } from '../../kernel/request-context.ts';
import { JSON_LIMIT, readRaw } from '../http/body.ts';
import type { Gate } from '../http/gate.ts';
import { commonHeaders } from '../http/respond.ts';
import type { RawHandler } from '../http/router.ts';
import { admissionPlugin, admit } from './admission.ts';
import { bufferedBodyPlugin, isJsonContentType } from './buffered-body.ts';
import type { GraphQLContext, GraphQLServices, OperationState } from './context.ts';
import { createDirectPath, type DirectAnswer, type GraphQLPlugin } from './direct-path.ts';
import { type FieldDoor, fieldDoorPlugin } from './field-doors.ts';
import { graphiqlOptions, renderCachedGraphiQL } from './graphiql.page.ts';
import { introspectionCachePlugin } from './introspection-cache.ts';
import { type PersistedOperationsOptions, persistedOperationsPlugin } from './persisted-operations.ts';
import { tracingPlugins } from './tracing.plugin.ts';

export interface GraphQLDeps {
  /** The schema every module registered its types on (src/main/schema.ts). */
  schema: GraphQLSchema;
  gate: Gate;
  /** The modules' services, read by their resolvers. */
  services: GraphQLServices;
  /** The modules' plugins, after admission and persisted operations (their yoga-only hooks: direct-path.ts). */
  plugins: GraphQLPlugin[];
  /** Fresh per-operation state of the modules' plugins. */
  newOperation: () => Partial<OperationState>;
  /** Serve GraphiQL to browsers (config GRAPHIQL; on by default outside production). */
  graphiql: boolean;
  /** Persisted operations (docs/graphql.md#persisted-operations); without it only documents are accepted. */
  persisted?: PersistedOperationsOptions;
  /** The path it answers (default /graphql; the operator console's is /admin/graphql). */
  endpoint?: string;
  /** Which root fields it answers (field-doors.ts; default all). */
  door?: FieldDoor;
  /** The largest body read (default the JSON limit, 1 MiB). */
  bodyLimit?: number;
  /**
   * Whether a request may send a body over the JSON limit (up to `bodyLimit`): asked only for such a body (or
   * one of undeclared length). Without it, any request may.
   */
  largeBodyAllowed?: (req: IncomingMessage) => Promise<boolean>;
}

/** The body limit of one request: over the JSON limit only for those allowed one. */
async function bodyLimitOf(deps: GraphQLDeps, req: IncomingMessage): Promise<number> {
  const max = deps.bodyLimit ?? JSON_LIMIT;
  if (max <= JSON_LIMIT || !deps.largeBodyAllowed) return max;
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared <= JSON_LIMIT) return JSON_LIMIT;
  return (await deps.largeBodyAllowed(req)) ? max : JSON_LIMIT;
}

/** Domain errors keep their code; scalar/validation errors pass; anything else is masked. */
function maskError(error: unknown, message: string): Error {
  const gql = error instanceof GraphQLError ? error : null;
  const original = gql?.originalError ?? error;
  if (original instanceof AppError) {
    return new GraphQLError(original.message, {
      nodes: gql?.nodes,
      path: gql?.path,
      extensions: { code: graphqlCode(original.code) },
    });
  }
  if (gql && (!gql.originalError || gql.originalError instanceof GraphQLError)) return gql;
  return new GraphQLError(message, { nodes: gql?.nodes, path: gql?.path, extensions: { code: 'INTERNAL_ERROR' } });
}

const MASKED_MESSAGE = 'Internal error. Quote the request id when contacting support.';

export function graphqlHandler(deps: GraphQLDeps): RawHandler {
  const endpoint = deps.endpoint ?? '/graphql';
  const plugins: (GraphQLPlugin | Plugin)[] = [
    bufferedBodyPlugin(),
    ...tracingPlugins(),
    admissionPlugin(),
    ...(deps.persisted ? [persistedOperationsPlugin(deps.persisted)] : []),
    ...fieldDoorPlugin(deps.door ?? 'all'),
    ...deps.plugins,
    introspectionCachePlugin(), // last: every other check has run (introspection-cache.ts)
  ];
  const yoga = createYoga<Omit<GraphQLContext, never>>({
    schema: deps.schema,
    graphqlEndpoint: endpoint,
    // Our handler reads the body with its own limit first; yoga's (25 MB by default) must not be the smaller.
    maxRequestBodySize: deps.bodyLimit ?? JSON_LIMIT,
    // The node's one CORS policy answers for /graphql as for REST (src/platform/http/cors.ts); yoga's own would
    // reflect any Origin with credentials allowed.
    cors: false,
    logging: false,
    landingPage: false,
    graphiql: deps.graphiql ? graphiqlOptions : false,
    renderGraphiQL: renderCachedGraphiQL,
    maskedErrors: { maskError, errorMessage: MASKED_MESSAGE },
    // `documentId` is the client preset's name for a persisted operation id in the request body.
    extraParamNames: ['documentId'],
    plugins,
  });
  // The common request skips yoga's fetch layer (direct-path.ts); null when a plugin rules that out.
  const direct = createDirectPath({
    getEnveloped: yoga.getEnveloped as never,
    endpoint,
    plugins,
    mask: (e) => maskError(e, MASKED_MESSAGE),
  });

  return async (req: IncomingMessage, res: ServerResponse, ctx: RequestContext) => {
    const method = (req.method ?? 'GET').toUpperCase();
    const op = { ...deps.newOperation(), counted: false, authError: null, refusal: null } as OperationState;
    const sc: GraphQLContext = { ctx, req, op, services: deps.services };
    let status = 500;
    try {
      await admit(deps.gate, req, ctx, op);
      const answer = (op.refusal ? await refusedUnread(req, sc) : null) ?? (await answerRead(req, method, sc));
      status = answer.status;
      const out = answer.headers;
      Object.assign(out, commonHeaders(ctx));
      // Credits fields serialize to marked strings (kernel/credits.ts); the wire gets exact number literals. The
      // body goes out as the string it is, like REST's (respond.ts): Node joins the head and a string body into
      // one chunk, where a Buffer body costs a copy and a chunk of its own (docs/graphql.md#request-pipeline-cpu).
      const text = unmarkExactJson(answer.body);
      out['content-length'] = String(Buffer.byteLength(text));
      res.writeHead(status, out);
      res.end(method === 'HEAD' ? undefined : text);
    } catch (e) {
      status = e instanceof AppError ? e.status : 500;
      throw e;
    } finally {
      if (sc.op.counted)
        await deps.gate.settle(ctx, status).catch((e) => ctx.log.warn({ err: e }, 'rate-limit settle failed'));
    }
  };

  /**
   * A request refused by its rate limit (429), answered from its head alone: a JSON POST whose body is declared
   * within the JSON limit is never read or parsed (Node drains it after the answer), so a client past its limit
   * costs little more than the limiter's check (docs/graphql-limits.md#admission). Null: read it as usual.
   */
  function refusedUnread(req: IncomingMessage, sc: GraphQLContext): Promise<DirectAnswer> | null {
    if (!direct || req.method !== 'POST' || !isJsonContentType(req.headers['content-type'])) return null;
    const declared = Number(req.headers['content-length']);
    if (!(declared <= JSON_LIMIT)) return null; // no length (chunked) or over the limit: read, and 413 as before
    return direct.refuse(req, sc);
  }

  /** Reads the body (with its limit) and answers: the direct path when it can, else yoga's. */
  async function answerRead(req: IncomingMessage, method: string, sc: GraphQLContext): Promise<DirectAnswer> {
    const body = method === 'GET' || method === 'HEAD' ? undefined : await readRaw(req, await bodyLimitOf(deps, req));
    const jsonPost = body !== undefined && method === 'POST' && isJsonContentType(req.headers['content-type']);
    // A request refused by its rate limit goes to yoga unread: its 429 needs no parse (admission.ts).
    return (
      (jsonPost && direct && !sc.op.refusal && (await direct(req, sc, body))) ||
      (await viaYoga(req, method, body, jsonPost, sc))
    );
  }

  /** yoga's full path: a fetch Request of the HTTP request, yoga.fetch, the Response read back. */
  async function viaYoga(
    req: IncomingMessage,
    method: string,
    body: Buffer | undefined,
    jsonPost: boolean,
    sc: GraphQLContext,
  ): Promise<DirectAnswer> {
    const headers = new yoga.fetchAPI.Headers();
    for (const [k, v] of Object.entries(req.headers)) {
      if (v === undefined) continue;
      for (const one of Array.isArray(v) ? v : [v]) headers.append(k, one);
    }
    const url = new URL(req.url ?? endpoint, 'http://localhost');
    // A POST JSON body goes to yoga as bytes in the context, not as a stream to read again (buffered-body.ts).
    if (jsonPost) sc.jsonBody = body;
    const init = { method, headers, body: body && !jsonPost ? new Uint8Array(body) : undefined };
    const response = await yoga.fetch(new yoga.fetchAPI.Request(url, init), sc);
    const out: Record<string, string> = {};
    response.headers.forEach((v, k) => {
      out[k] = v;
    });
    return { status: response.status, headers: out, body: await response.text() };
  }
}
