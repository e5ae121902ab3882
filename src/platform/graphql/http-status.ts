// HTTP status of GraphQL errors by what the client accepts (docs/graphql-limits.md#http-status):
// - `application/graphql-response+json` (the GraphQL-over-HTTP media type), `*/*` or no Accept: an error
//   that stops the operation keeps its status (401, 402, 429, 400 …), as the spec asks;
// - `application/json` preferred explicitly (Apollo Client, urql, graphql-request configured for it): HTTP
//   200 with the code in errors[].extensions.code, since such clients turn a non-2xx into a network error
//   and hide the body. Headers (Retry-After, WWW-Authenticate, rate limits) are sent either way.
import { GraphQLError, type GraphQLErrorOptions } from 'graphql';
import { graphqlCode } from '../../kernel/errors.ts';
import type { RequestContext } from '../../kernel/request-context.ts';
import { toAppError } from '../http/respond.ts';

/** True when the first of the two JSON media types the Accept header names is application/json. */
export function prefersPlainJson(accept: string | null): boolean {
  if (!accept) return false;
  for (const part of accept.toLowerCase().split(',')) {
    const type = part.split(';')[0].trim();
    if (type === 'application/json') return true;
    if (type === 'application/graphql-response+json') return false;
  }
  return false;
}

/**
 * A GraphQLError without a stack trace: these errors are answers to the client (a refusal, a domain error), never
 * logged with their stack, and capturing one was most of the cost of a refused request's errors (a 429 builds two).
 */
function answerError(message: string, options: GraphQLErrorOptions): GraphQLError {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return new GraphQLError(message, options);
  } finally {
    Error.stackTraceLimit = limit;
  }
}

/** Marks an error's `extensions.http` as ours (yoga marks its own parse and validation errors `spec`). */
const OUR_HTTP = 'kc' as const;

/**
 * The errors with the HTTP status this client gets: with application/json preferred, every status is marked
 * as the spec's (yoga then answers 200); otherwise our errors keep theirs even where yoga marked them `spec`
 * (the cheap checks refuse while parsing). Errors without a status are left as they are.
 */
export function errorsForAccept(
  errors: readonly GraphQLError[] | undefined,
  plainJson: boolean,
): GraphQLError[] | undefined {
  if (!errors) return undefined;
  return errors.map((e) => {
    const http = (e.extensions as { http?: Record<string, unknown> } | undefined)?.http;
    if (!http || !(e instanceof GraphQLError)) return e;
    const spec = plainJson ? true : http[OUR_HTTP] ? false : (http.spec as boolean | undefined);
    if (spec === http.spec) return e;
    return answerError(e.message, {
      nodes: e.nodes,
      source: e.source,
      positions: e.positions,
      path: e.path,
      originalError: e.originalError,
      extensions: { ...e.extensions, http: { ...http, spec } as { spec?: boolean } },
    });
  });
}

/** An AppError as a GraphQL error; errors that stop the whole operation also carry their HTTP status. */
export function toGraphQLError(e: unknown, ctx: RequestContext, withHttp: boolean): GraphQLError {
  const err = toAppError(e, ctx);
  const http: { status: number; headers: Record<string, string> } = {
    status: err.status,
    headers: err.headers,
    ...{ [OUR_HTTP]: true },
  };
  return answerError(err.message, { extensions: { code: graphqlCode(err.code), ...(withHttp ? { http } : {}) } });
}
