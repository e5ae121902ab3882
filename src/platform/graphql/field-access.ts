// Every root field says who may call it and what it costs (docs/graphql-limits.md#billing-rules): a free field
// declares here whether it needs an access token. Paid fields carry the paid-reads module's rules; its start-up
// check refuses a schema in which a root field has neither.
/** The rule of a free root field (`extensions.billing`). */
export interface FreeRule {
  kind: 'free';
  /** Whether the field still needs a valid access token (account data). */
  token: boolean;
  /**
   * Refuses bad arguments before anything is debited when the operation also reads paid data (a failing
   * non-null root field would null the data of the whole operation after its charge).
   */
  check?: (args: Record<string, unknown>) => void;
}

/** Pothos `extensions` of a free root field: `extensions: free({ token: true })`. */
export const free = (opts: { token: boolean; check?: (args: Record<string, unknown>) => void }) => ({
  billing: { kind: 'free', ...opts } satisfies FreeRule,
});
