// The console talks only to our own /graphql, like any consumer app: operations typed by graphql-codegen's client
// preset (console/src/gql, from schema/schema.graphql), sent as JSON with the session cookie. Every mutation also
// carries the CSRF token the server handed out with the session (docs/console-web.md#sessions-and-csrf).
import type { TypedDocumentString } from './gql/graphql.ts';

/** A GraphQL error the user should read: its message, and the error code the server put in extensions. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
  }
}

let csrfToken: string | null = null;

/** The operator console talks to its own door, /admin/graphql (on the admin listener when ADMIN_PORT is set). */
const endpoint = () =>
  location.pathname === '/console/admin' || location.pathname.startsWith('/console/admin/')
    ? '/admin/graphql'
    : '/graphql';

/** The CSRF token of the current session (null after sign-out). */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

interface GraphQLResponse<R> {
  data?: R | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

/** One POST to /graphql; the parsed body, or an ApiError when there is none. */
async function post<R>(payload: unknown, headers: Record<string, string>): Promise<GraphQLResponse<R>> {
  let res: Response;
  try {
    res = await fetch(endpoint(), {
      method: 'POST',
      credentials: 'same-origin',
      headers,
      body: JSON.stringify(payload),
    });
  } catch {
    throw new ApiError('The server could not be reached. Check your connection and try again.', 'network');
  }
  try {
    return (await res.json()) as GraphQLResponse<R>;
  } catch {
    throw new ApiError(`The server answered ${res.status} without a GraphQL body.`, 'bad_response');
  }
}

/**
 * Runs one operation. It is sent by its persisted id (docs/console-web.md#persisted-operations), so the console
 * works when the server runs persisted operations only; a server that does not know the id (a build older than
 * the server's manifest) gets the document itself once.
 */
export async function gql<R, V>(doc: TypedDocumentString<R, V>, variables?: V): Promise<R> {
  const query = doc.toString();
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
  if (csrfToken && /^\s*mutation\b/.test(query)) headers['x-csrf-token'] = csrfToken;
  const documentId = doc.__meta__?.hash as string | undefined;
  let body = await post<R>(
    documentId ? { documentId, variables: variables ?? {} } : { query, variables: variables ?? {} },
    headers,
  );
  if (documentId && body.errors?.[0]?.extensions?.code === 'PERSISTED_QUERY_NOT_FOUND')
    body = await post<R>({ query, variables: variables ?? {} }, headers);
  const first = body.errors?.[0];
  if (first) throw new ApiError(first.message, first.extensions?.code);
  if (!body.data) throw new ApiError('The server answered without data.', 'bad_response');
  return body.data;
}
