// POST JSON bodies are read once. Our handler already reads the body with the JSON limit (413 beyond, see
// src/platform/http/body.ts); handing yoga those bytes as a stream made it read them a second time, through its
// body-size TransformStream and the fetch body machinery (about 8 % of a billed request's CPU). Now the handler
// gives yoga a request without a body plus the bytes in the server context, and this parser, registered after
// yoga's own, parses them with the same answers as yoga's POST JSON parser (graphql-yoga
// plugins/request-parser/post-json): invalid JSON, null or a non-object body are 400 BAD_REQUEST errors.
import { createGraphQLError, type GraphQLParams } from 'graphql-yoga';
import type { GraphQLContext } from './context.ts';
import type { GraphQLPlugin } from './direct-path.ts';

/** Yoga's test for a POST JSON request, on the raw Content-Type header (only its first value counts). */
export function isJsonContentType(header: string | undefined): boolean {
  const type = header?.split(',')[0];
  if (!type) return false;
  return ['application/json', 'application/graphql+json'].some((t) => type === t || type.startsWith(`${t};`));
}

function parseJsonBody(bytes: Buffer): GraphQLParams | GraphQLParams[] {
  let body: unknown;
  try {
    body = JSON.parse(bytes.toString('utf8'));
  } catch (err) {
    throw createGraphQLError('POST body sent invalid JSON.', {
      extensions: {
        http: { spec: true, status: 400 },
        code: 'BAD_REQUEST',
        ...(err instanceof Error ? { originalError: { name: err.name, message: err.message } } : {}),
      },
    });
  }
  if (body == null || typeof body !== 'object')
    throw createGraphQLError(`POST body is expected to be object but received ${body === null ? body : typeof body}`, {
      extensions: { http: { status: 400 }, code: 'BAD_REQUEST' },
    });
  return body as GraphQLParams | GraphQLParams[];
}

export function bufferedBodyPlugin(): GraphQLPlugin {
  return {
    // The direct path (direct-path.ts) parses the same bytes itself; it takes only bodies that parse.
    yogaFor: () => false,
    onRequestParse({ serverContext, setRequestParser }) {
      const bytes = (serverContext as Partial<GraphQLContext>).jsonBody;
      if (bytes) setRequestParser(() => parseJsonBody(bytes));
    },
  };
}
