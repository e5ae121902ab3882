// Introspection results, served from memory (docs/graphql-limits.md#introspection-cache). An operation that selects
// only `__schema`, `__type` and `__typename` at its root has a result that depends on nothing but the schema, the
// document, the operation name and the variables: no client, token, door or mode reaches an introspection
// resolver (field-doors.ts refuses operator fields at validation; introspection lists the same schema on every door).
// GraphiQL, codegen and the standard introspection query of an attacker used to execute and serialise ~50 KB each
// time; now the first answer is kept, with its JSON text, and later ones are served from it.
//
// The plugin runs after every other onExecute hook (last in graphql.handler.ts's list), so admission, persisted
// operations, the field doors, the operation limits (selection-plan.ts) and price quotes have all had their say
// before a cached result is used: a hit never skips a check, only the execution and the serialisation. Only
// results without errors are kept. Bounded by entries and by characters of JSON; the least recently used goes first.
import { createHash } from 'node:crypto';
import type { DocumentNode, ExecutionResult, GraphQLSchema, OperationDefinitionNode, SelectionSetNode } from 'graphql';
import { Kind } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { GraphQLContext } from './context.ts';

/** Results kept per schema (each door has its own plugin, so its own store).  @internal Exported for its tests. */
export const MAX_CACHED_RESULTS = 64;
/** Characters of JSON kept per schema; a result above a quarter of it is never kept. */
const MAX_CACHED_CHARS = 4 * 1024 * 1024;
/** Variables beyond this many characters of JSON: executed every time (the key stays small). */
const MAX_VARIABLES_CHARS = 1024;

const INTROSPECTION_FIELDS = new Set(['__schema', '__type', '__typename']);
/** Directives that only select: anything else on a root selection (e.g. @defer) is executed, never cached. */
const SELECTING_DIRECTIVES = new Set(['skip', 'include']);

interface Entry {
  /** The result's data, deeply frozen: every request that is served it shares it. */
  data: Record<string, unknown>;
  /** `data` as JSON, as the first execution serialised it. */
  json: string;
}

/** A bounded least-recently-used store of serialised results.  @internal Exported for its tests. */
export class IntrospectionStore {
  private readonly entries = new Map<string, Entry>();
  private chars = 0;
  constructor(
    readonly maxEntries = MAX_CACHED_RESULTS,
    readonly maxChars = MAX_CACHED_CHARS,
  ) {}

  get size(): number {
    return this.entries.size;
  }
  get totalChars(): number {
    return this.chars;
  }

  get(key: string): Entry | undefined {
    const hit = this.entries.get(key);
    if (hit) {
      // Most recently used last: Map keeps insertion order.
      this.entries.delete(key);
      this.entries.set(key, hit);
    }
    return hit;
  }

  /** Keeps `data` under `key` unless its JSON is too large; returns whether it was kept. */
  set(key: string, data: Record<string, unknown>): boolean {
    const json = JSON.stringify(data);
    if (json.length > this.maxChars / 4) return false;
    const old = this.entries.get(key);
    if (old) {
      this.entries.delete(key);
      this.chars -= old.json.length;
    }
    while (this.entries.size >= this.maxEntries || this.chars + json.length > this.maxChars) {
      const [oldestKey, oldest] = this.entries.entries().next().value as [string, Entry];
      this.entries.delete(oldestKey);
      this.chars -= oldest.json.length;
    }
    this.entries.set(key, { data: deepFreeze(data), json });
    this.chars += json.length;
    return true;
  }
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

let hits = 0;
let misses = 0;
/** Served from the store / executed and offered to it, since start.  @internal Exported for its tests. */
export const introspectionCacheCounts = () => ({ hits, misses });

/** Per document: the SHA-256 of its text, and per operation name whether it is introspection only. */
interface DocumentFacts {
  hash: string | null;
  introspectionOnly: Map<string, boolean>;
}
const factsByDocument = new WeakMap<DocumentNode, DocumentFacts>();

function factsOf(doc: DocumentNode): DocumentFacts {
  let facts = factsByDocument.get(doc);
  if (!facts) {
    // yoga's parse cache hands out one document object per query text, so this hashes each text once. A
    // document without its source (never the case for a parsed request) is not cached.
    const text = doc.loc?.source.body;
    const hash = text === undefined ? null : createHash('sha256').update(text).digest('base64url');
    factsByDocument.set(doc, (facts = { hash, introspectionOnly: new Map() }));
  }
  return facts;
}

/** True when the operation is a query whose root selects introspection fields only (through fragments too). */
function isIntrospectionOnly(doc: DocumentNode, operationName: string | null | undefined): boolean {
  const ops = doc.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  const op = operationName ? ops.find((o) => o.name?.value === operationName) : ops.length === 1 ? ops[0] : undefined;
  if (op?.operation !== 'query') return false;
  const fragments = new Map<string, SelectionSetNode>();
  for (const d of doc.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d.selectionSet);
  const seen = new Set<string>();
  const only = (set: SelectionSetNode): boolean =>
    set.selections.every((s) => {
      if (!(s.directives ?? []).every((d) => SELECTING_DIRECTIVES.has(d.name.value))) return false;
      if (s.kind === Kind.FIELD) return INTROSPECTION_FIELDS.has(s.name.value);
      if (s.kind === Kind.INLINE_FRAGMENT) return only(s.selectionSet);
      const name = s.name.value;
      if (seen.has(name)) return true; // already checked (or a cycle, which validation refuses anyway)
      seen.add(name);
      const spread = fragments.get(name);
      return spread !== undefined && only(spread);
    });
  return only(op.selectionSet);
}

/** The cache key of an operation, or null when it is not to be cached. */
function keyOf(doc: DocumentNode, operationName: string | null | undefined, variables: unknown): string | null {
  const facts = factsOf(doc);
  if (facts.hash === null) return null;
  const name = operationName ?? '';
  let only = facts.introspectionOnly.get(name);
  if (only === undefined) facts.introspectionOnly.set(name, (only = isIntrospectionOnly(doc, operationName)));
  if (!only) return null;
  const vars = JSON.stringify(variables ?? {});
  if (vars === undefined || vars.length > MAX_VARIABLES_CHARS) return null;
  return `${facts.hash} ${JSON.stringify(name)} ${vars}`;
}

/**
 * The served result: the shared data, and a serialiser (graphql-yoga's `stringify` of a result) that writes the
 * kept JSON in place of serialising the data again. Plugins that add to the result (extensions.billing) spread
 * it, which keeps both; one that replaces the data gets JSON.stringify as usual.
 */
function served(entry: Entry): ExecutionResult & { stringify: (r: ExecutionResult) => string } {
  return {
    data: entry.data,
    stringify(r) {
      if (r.data !== entry.data) return JSON.stringify(r);
      const { data: _data, stringify: _stringify, ...rest } = r as ExecutionResult & { stringify?: unknown };
      const tail = JSON.stringify(rest);
      return tail === '{}' ? `{"data":${entry.json}}` : `{"data":${entry.json},${tail.slice(1)}`;
    },
  };
}

export function introspectionCachePlugin(): Plugin<GraphQLContext> {
  const stores = new WeakMap<GraphQLSchema, IntrospectionStore>();
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const key = keyOf(args.document, args.operationName, args.variableValues);
      if (key === null) return;
      let store = stores.get(args.schema);
      if (!store) stores.set(args.schema, (store = new IntrospectionStore()));
      const hit = store.get(key);
      if (hit) {
        hits++;
        setResultAndStopExecution(served(hit));
        return;
      }
      misses++;
      const into = store;
      return {
        onExecuteDone({ result }) {
          if (!result || typeof result !== 'object' || Symbol.asyncIterator in result) return;
          const r = result as ExecutionResult;
          // Only a complete answer is kept: no errors, data present, nothing else beside it.
          if (r.errors?.length || !r.data || Object.keys(r).some((k) => k !== 'data')) return;
          into.set(key, r.data as Record<string, unknown>);
        },
      };
    },
  };
}
