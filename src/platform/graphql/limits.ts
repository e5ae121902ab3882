// The numbers of docs/graphql-limits.md, in one place. Cheap checks (document size, tokens, directives) run
// before parsing finishes and before validation; the planner's limits run on the operation as it executes.

/** Characters of the `query` text; the request body as a whole stays limited to 1 MiB. */
export const MAX_DOCUMENT_CHARS = 32 * 1024;
/** Lexical tokens of the document (graphql-js `parse` stops counting, and parsing, beyond it). */
export const MAX_TOKENS = 2_000;
/** Directives on one field, fragment spread or inline fragment. */
export const MAX_DIRECTIVES_PER_SELECTION = 4;

/** Levels of fields below the operation (a root field is level 1). */
export const MAX_DEPTH = 10;
/** Aliased fields in the operation as executed: an alias inside a fragment counts wherever it is spread. */
export const MAX_ALIASES = 100;
/** Selections and fields the planner may visit for one operation; beyond it the operation is refused. */
export const MAX_PLAN_NODES = 20_000;

/**
 * Introspection (`__schema`, `__type`): its own depth, and an estimate of the values it would return. The
 * standard query (graphql-js getIntrospectionQuery) is 15 levels deep; the estimate grows with the number of
 * types times the widest type's fields (the root types since the console's operations: ~38), so the bound keeps
 * room above what the standard query is estimated at for this schema.
 */
export const MAX_INTROSPECTION_DEPTH = 20;
export const MAX_INTROSPECTION_VALUES = 2_000_000;

/** Listing fields (`catalog`) per operation; each one beyond the first also counts as one more request. */
export const MAX_LISTINGS = 5;
