// Persisted operations (docs/graphql.md#persisted-operations): a client sends the id of a document from a
// manifest instead of the document, as `documentId` (graphql-codegen client preset, `persistedDocuments`) or as
// `extensions.persistedQuery.sha256Hash` (Apollo/urql persisted-query links), by POST or GET. The id is resolved
// to the document text in onParams, before anything else reads it, so parsing, the operation limits, billing,
// price quotes and Idempotency-Key see exactly what a client sending the full document would have sent.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { defaultExtractPersistedOperationId, usePersistedOperations } from '@graphql-yoga/plugin-persisted-operations';
import type { GraphQLParams, Plugin } from 'graphql-yoga';
import type { GraphQLContext } from './context.ts';
import type { GraphQLPlugin } from './direct-path.ts';

export interface PersistedOperationsOptions {
  /** id -> document text. */
  store: ReadonlyMap<string, string>;
  /** False: only persisted operations run; a request carrying a document is refused. */
  allowArbitrary: boolean;
  /** The console build's manifest, added to `store` (default CONSOLE_MANIFEST). */
  consoleManifest?: string;
}

const ID = /^[A-Za-z0-9:_.-]{1,128}$/;

/**
 * The web console's own operations (docs/console-web.md#persisted-operations): its build writes the manifest of
 * the documents it sends (graphql-codegen `persistedDocuments`) beside the bundle, and the console sends their ids.
 * They are always registered, so the console keeps working under PERSISTED_OPERATIONS_ONLY; each still needs its
 * session and CSRF token like the same document sent in full. No build, no manifest: nothing is added.
 */
const CONSOLE_MANIFEST = path.resolve(import.meta.dirname, '../../../console/dist/persisted-documents.json');
const SHA256 = /^[0-9a-f]{64}$/;

/** Reads a manifest `{ "<id>": "<document>" }` (the client preset's persisted-documents.json); throws if malformed. */
export function loadPersistedOperations(file: string): Map<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`PERSISTED_OPERATIONS_FILE ${file}: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new Error(`PERSISTED_OPERATIONS_FILE ${file}: expected an object of id -> document`);
  }
  const store = new Map<string, string>();
  for (const [id, doc] of Object.entries(parsed)) {
    if (!ID.test(id) || typeof doc !== 'string' || doc.trim() === '') {
      throw new Error(`PERSISTED_OPERATIONS_FILE ${file}: entry "${id.slice(0, 80)}" is not id -> document text`);
    }
    store.set(id, doc);
  }
  return store;
}

/** The operation id a request names: `documentId` (body or GET query string), else the persisted-query extension. */
export function persistedOperationId(params: GraphQLParams, request: Request): string | null {
  const documentId = (params as GraphQLParams & { documentId?: unknown }).documentId;
  if (typeof documentId === 'string') return documentId;
  const apq = defaultExtractPersistedOperationId(params, request, {});
  if (apq !== null) return apq;
  if (request.method === 'GET' || request.method === 'HEAD') {
    return new URL(request.url).searchParams.get('documentId');
  }
  return null;
}

export function persistedOperationsPlugin(opts: PersistedOperationsOptions): GraphQLPlugin {
  const file = opts.consoleManifest ?? CONSOLE_MANIFEST;
  const consoleOps = existsSync(file) ? loadPersistedOperations(file) : new Map<string, string>();
  const lookup = (id: string) => opts.store.get(id) ?? consoleOps.get(id);
  const plugin = usePersistedOperations<GraphQLContext>({
    allowArbitraryOperations: opts.allowArbitrary,
    extractPersistedOperationId: persistedOperationId,
    // The client preset names its entries `sha256:<hex>`; a persisted-query link sends the bare hex.
    getPersistedOperation: (id) => lookup(id) ?? (SHA256.test(id) ? lookup(`sha256:${id}`) : null) ?? null,
    customErrors: {
      // Apollo's and urql's persisted-query links recognise this message and send the full document next.
      notFound: { message: 'PersistedQueryNotFound', extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } },
      persistedQueryOnly: {
        message:
          'This server runs persisted operations only: send `documentId` (or extensions.persistedQuery.sha256Hash) instead of the document.',
        extensions: { code: 'PERSISTED_QUERY_ONLY', http: { spec: true, status: 400 } },
      },
    },
  }) as Plugin<GraphQLContext>;
  const onParams = plugin.onParams!;
  return {
    ...plugin,
    // The direct path (direct-path.ts) takes only documents, no id: onParams lets those pass unless arbitrary
    // documents are refused.
    yogaFor: () => !opts.allowArbitrary,
    // A request refused by its rate limit (admission.ts) gets its 429, whatever id it names.
    onParams(payload) {
      if ((payload.context as unknown as GraphQLContext).op.refusal) return;
      // A `query` of the wrong type is yoga's to refuse (400), as without persisted operations.
      const query = payload.params.query as unknown;
      if (query !== undefined && query !== null && typeof query !== 'string') return;
      // Neither a document nor an id: yoga's own answer (400, or an unexpected parameter named).
      if (!query && persistedOperationId(payload.params, payload.request) === null) return;
      return onParams(payload);
    },
  };
}
