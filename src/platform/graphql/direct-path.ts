// The direct path (docs/graphql.md#request-pipeline-cpu): the common request — POST of a JSON object carrying a
// document, at the endpoint's own path, answered as JSON — runs yoga's envelop pipeline (getEnveloped: parse,
// validate, context, execute with every envelop plugin hook, the document and validation caches included) without
// yoga's fetch layer: no WHATWG Request, Headers or Response per request, the answer serialised by yoga's own
// processRegularResult into a plain object. Status, headers and body are what yoga's full path gives; every other
// request (GET, another media type, a persisted id, an unexpected parameter, a refused or idempotent request, an
// Accept header that wants a stream) goes through yoga as before.
//
// Plugins' yoga-only hooks on this path: onResultProcess runs with a request that only has `method`, `url` and
// `headers.get`; onResponse with a response that has `status` and `headers` (no body, no setResponse). A plugin
// with onRequest, onRequestParse, onParams or onExecutionResult must say, by `yogaFor`, which requests those hooks
// act on: those go through yoga. One such hook without `yogaFor` (or yoga-level instrumentation) turns the direct
// path off for the whole endpoint.
import type { IncomingMessage } from 'node:http';
import { type ExecutionResult, GraphQLError, getOperationAST } from 'graphql';
import { createGraphQLError, type FetchAPI, type GraphQLParams, type Plugin, processRegularResult } from 'graphql-yoga';
import type { GraphQLContext } from './context.ts';

/**
 * A plugin's word on which requests its yoga-only request hooks act on (those take yoga's full path), and, for the
 * plugin that refuses requests before their parameters are read (admission.ts), the error of such a refusal.
 */
type DirectPathAware = {
  yogaFor?: (sc: GraphQLContext, params: GraphQLParams) => boolean;
  refusalOf?: (sc: GraphQLContext) => GraphQLError | null;
};
export type GraphQLPlugin = Plugin<GraphQLContext> & DirectPathAware;
/** Any plugin of the endpoint's list (the tracing plugins are context-free). */
type AnyPlugin = (Plugin<GraphQLContext> | Plugin) & DirectPathAware;

/** What the direct path answers: the status, headers (lower-case names, as a fetch Headers gives them), body. */
export interface DirectAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

const REQUEST_HOOKS = ['onRequest', 'onRequestParse', 'onParams', 'onExecutionResult'] as const;
const PLAIN_PARAMS = new Set(['query', 'variables', 'operationName', 'extensions']);

/** The request's headers as a fetch Headers reads them (`get`, `has`), over Node's parsed ones. */
class RequestHeadersView {
  constructor(private readonly headers: IncomingMessage['headers']) {}
  get(name: string): string | null {
    const v = this.headers[name.toLowerCase()];
    return v === undefined ? null : Array.isArray(v) ? v.join(', ') : v;
  }
  has(name: string): boolean {
    return this.headers[name.toLowerCase()] !== undefined;
  }
}

/** The request as the yoga-only hooks of this path see it. */
class RequestView {
  readonly method = 'POST';
  readonly headers: RequestHeadersView;
  constructor(
    req: IncomingMessage,
    readonly url: string,
  ) {
    this.headers = new RequestHeadersView(req.headers);
  }
}

/** The response headers as onResponse hooks see them (lower-case names; append joins values as Headers does). */
class HeadersView {
  constructor(readonly map: Record<string, string>) {}
  get(name: string): string | null {
    return this.map[name.toLowerCase()] ?? null;
  }
  has(name: string): boolean {
    return name.toLowerCase() in this.map;
  }
  set(name: string, value: string): void {
    this.map[name.toLowerCase()] = value;
  }
  append(name: string, value: string): void {
    const k = name.toLowerCase();
    this.map[k] = k in this.map ? `${this.map[k]}, ${value}` : value;
  }
  delete(name: string): void {
    delete this.map[name.toLowerCase()];
  }
  forEach(fn: (value: string, name: string) => void): void {
    for (const k in this.map) fn(this.map[k], k);
  }
}

/** processRegularResult builds `new fetchAPI.Response(body, init)`: this one just keeps them. */
class CapturedResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  constructor(
    readonly body: string,
    init: { status: number; headers: Record<string, string> },
  ) {
    this.status = init.status;
    this.headers = init.headers;
  }
}
const CAPTURE = { Response: CapturedResponse } as unknown as FetchAPI;

/**
 * The media type yoga's result processors would answer with for this Accept header, if it is one of the two
 * JSON ones (graphql-yoga plugins/use-result-processor + result-processor/accept: the last match wins, and the
 * JSON processor is tried last); null when yoga would pick a stream (SSE, multipart) or answer 406.
 * @internal Exported for its tests.
 */
export function acceptedJsonType(accept: string | undefined): string | null {
  const asked = (accept || '*/*').replace(/\s/g, '').toLowerCase().split(',');
  let chosen: string | null = null;
  for (let i = asked.length - 1; i >= 0; i--) {
    const [type, ...params] = asked[i].split(';');
    if ((params.find((p) => p.includes('charset=')) ?? 'charset=utf-8') !== 'charset=utf-8') continue;
    const [pre, suf] = type.split('/');
    for (const offered of ['application/graphql-response+json', 'application/json']) {
      const [oPre, oSuf] = offered.split('/');
      if ((pre === '*' || pre === oPre) && (suf === '*' || suf === oSuf)) chosen = offered;
    }
  }
  return chosen;
}

/** The parameters when they are a plain document request (yoga would accept them as they are), else null. */
function plainParams(body: unknown): GraphQLParams | null {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return null;
  const p = body as Record<string, unknown>;
  for (const k in p) if (p[k] != null && !PLAIN_PARAMS.has(k)) return null;
  const { query, variables, operationName, extensions } = p;
  if (typeof query !== 'string' || query === '') return null;
  if (variables != null && (typeof variables !== 'object' || Array.isArray(variables))) return null;
  if (operationName != null && typeof operationName !== 'string') return null;
  // A persisted-query extension is the persisted-operations plugin's to read (docs/graphql.md#persisted-operations).
  if (
    extensions != null &&
    (typeof extensions !== 'object' || Array.isArray(extensions) || 'persistedQuery' in extensions)
  )
    return null;
  return p as GraphQLParams;
}

/** yoga's handleError (graphql-yoga error.ts) with masking always on, its logger silent (`logging: false`). */
function handleError(error: unknown, mask: (e: unknown) => Error): GraphQLError[] {
  if (error != null && typeof error === 'object' && 'errors' in error && Array.isArray(error.errors)) {
    return [...new Set(error.errors.flatMap((e: unknown) => handleError(e, mask)))];
  }
  const ctor = (error as { constructor?: { name?: string } } | null)?.constructor?.name;
  const name = (error as { name?: string } | null)?.name;
  if (ctor === 'DOMException' && (name === 'AbortError' || name === 'TimeoutError')) return [];
  const masked = mask(error);
  return [masked instanceof GraphQLError ? masked : createGraphQLError(masked.message, { originalError: masked })];
}

export interface DirectPathOptions {
  /** yoga's enveloped pipeline (yoga.getEnveloped). */
  getEnveloped: (context: GraphQLContext) => {
    parse: (source: string) => unknown;
    validate: (schema: unknown, document: unknown) => readonly GraphQLError[];
    contextFactory: () => unknown;
    execute: (args: unknown) => unknown;
    subscribe: (args: unknown) => unknown;
    schema: unknown;
  };
  /** The endpoint's path: the direct path answers only requests for exactly it. */
  endpoint: string;
  /** Our plugins, as given to yoga (after yoga's own). */
  plugins: readonly AnyPlugin[];
  /** The masking of thrown errors, as yoga's maskedErrors (maskError with its message). */
  mask: (e: unknown) => Error;
}

export type DirectPath = ((
  req: IncomingMessage,
  sc: GraphQLContext,
  body: Buffer,
) => Promise<DirectAnswer | null> | DirectAnswer | null) & {
  /**
   * A request refused before its parameters are read (a 429), answered as yoga answers it, without its body (the
   * caller does not read it); null when another plugin's request hooks want it on yoga's path.
   */
  refuse: (req: IncomingMessage, sc: GraphQLContext) => Promise<DirectAnswer> | null;
};

/** The parameters yoga sees for a refused request (admission.ts's request parser). */
const REFUSED_PARAMS: GraphQLParams = { query: '' };

/** The direct path of one endpoint, or null when a plugin's hooks rule it out. */
export function createDirectPath(opts: DirectPathOptions): DirectPath | null {
  const routed: DirectPathAware['yogaFor'][] = [];
  // The other plugins' word on a refused request (the refusing plugin's own yogaFor sends every refusal to yoga).
  const routedBesidesRefusal: DirectPathAware['yogaFor'][] = [];
  const refusers: NonNullable<DirectPathAware['refusalOf']>[] = [];
  for (const p of opts.plugins) {
    if ((p as { instrumentation?: unknown }).instrumentation) return null;
    if (p.refusalOf) refusers.push(p.refusalOf);
    if (REQUEST_HOOKS.some((h) => p[h])) {
      if (!p.yogaFor) return null;
      routed.push(p.yogaFor);
      if (!p.refusalOf) routedBesidesRefusal.push(p.yogaFor);
    }
  }
  const resultHooks = opts.plugins.flatMap((p) => (p.onResultProcess ? [p.onResultProcess] : []));
  const responseHooks = opts.plugins.flatMap((p) => (p.onResponse ? [p.onResponse] : []));
  const url = `http://localhost${opts.endpoint}`;
  // Clients send the same Accept on every request: the last one's answer is kept.
  let lastAccept: string | undefined;
  let lastAccepted = acceptedJsonType(undefined);

  async function answer(
    req: IncomingMessage,
    sc: GraphQLContext,
    params: GraphQLParams,
    accepted: string,
    refusal?: GraphQLError,
  ) {
    const request = new RequestView(req, url);
    // As yoga's handleParams: the context carries the request and its parameters (usePreventMutationViaGET reads them).
    Object.assign(sc, { request, params });
    let result: ExecutionResult;
    try {
      // A refusal is what yoga's onParams answer is: an errors-only result, processed like any other.
      result = refusal ? { errors: [refusal] } : await execute(sc, params);
      result = await processResult(request, sc, result);
    } catch (e) {
      // yoga's handle(): a throw anywhere above becomes an errors-only result, processed again.
      result = await processResult(request, sc, { errors: handleError(e, opts.mask) });
    }
    const response = processRegularResult(result, CAPTURE, accepted) as unknown as CapturedResponse;
    const headers: Record<string, string> = {};
    for (const k in response.headers) headers[k.toLowerCase()] = response.headers[k];
    if (responseHooks.length) {
      const view = { status: response.status, headers: new HeadersView(headers) };
      for (const hook of responseHooks) {
        await hook({ request, response: view, serverContext: sc } as unknown as Parameters<typeof hook>[0]);
      }
    }
    return { status: response.status, headers, body: response.body };
  }

  /** yoga's processRequest, with its error handling (handleParams). */
  async function execute(sc: GraphQLContext, params: GraphQLParams): Promise<ExecutionResult> {
    try {
      const enveloped = opts.getEnveloped(sc);
      const document = enveloped.parse(params.query as string);
      const errors = enveloped.validate(enveloped.schema, document);
      if (errors.length > 0) return { errors };
      const contextValue = await enveloped.contextFactory();
      const operation = getOperationAST(document as never, params.operationName);
      const run = operation?.operation === 'subscription' ? enveloped.subscribe : enveloped.execute;
      return (await run({
        schema: enveloped.schema,
        document,
        contextValue,
        variableValues: params.variables,
        operationName: params.operationName,
      })) as ExecutionResult;
    } catch (e) {
      return { errors: handleError(e, opts.mask) };
    }
  }

  /** yoga's processResult without its result processors (the direct path's is the JSON one). */
  async function processResult(request: RequestView, sc: GraphQLContext, result: ExecutionResult) {
    let current = result;
    for (const hook of resultHooks) {
      await hook({
        request,
        acceptableMediaTypes: [],
        result: current,
        setResult: (r: ExecutionResult) => {
          current = r;
        },
        resultProcessor: undefined,
        setResultProcessor: () => undefined,
        serverContext: sc,
      } as unknown as Parameters<typeof hook>[0]);
    }
    return current;
  }

  /** The JSON media type of the answer, or null when yoga's path must answer (another URL, a stream, a 406). */
  function acceptedFor(req: IncomingMessage): string | null {
    if (req.url !== opts.endpoint) return null;
    const accept = req.headers.accept;
    if (accept !== lastAccept) {
      lastAccepted = acceptedJsonType(accept);
      lastAccept = accept;
    }
    return lastAccepted;
  }

  const refuse: DirectPath['refuse'] = (req, sc) => {
    const accepted = acceptedFor(req);
    if (!accepted) return null;
    let refusal: GraphQLError | null = null;
    for (const of of refusers) refusal ??= of(sc);
    if (!refusal) return null;
    for (const yogaFor of routedBesidesRefusal) if (yogaFor!(sc, REFUSED_PARAMS)) return null;
    return answer(req, sc, REFUSED_PARAMS, accepted, refusal);
  };

  const run = (req: IncomingMessage, sc: GraphQLContext, body: Buffer) => {
    const accepted = acceptedFor(req);
    if (!accepted) return null;
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch {
      return null; // yoga's 400 for invalid JSON
    }
    const params = plainParams(parsed);
    if (!params) return null;
    for (const yogaFor of routed) if (yogaFor!(sc, params)) return null;
    return answer(req, sc, params, accepted);
  };
  return Object.assign(run, { refuse });
}
