// SQL spans (docs/operations.md#traces): a CLIENT span around one statement, named after the statement's
// comment (`/* productsByGtin */`). Not every query has one: the statements of the paid path do (the catalog
// lookup, the debit); wrap others where a trace needs them.
import type { Attributes } from '@opentelemetry/api';
import { SpanKind, type SpanOptions, withSpan } from '../../kernel/tracing.ts';

export interface SqlSpan {
  name: string;
  opts: SpanOptions;
}

/** Built once per statement, at module load: the off path allocates nothing for its attributes. */
export function sqlStatement(summary: string): SqlSpan {
  const attributes: Attributes = { 'db.system.name': 'postgresql', 'db.query.summary': summary };
  return { name: `sql ${summary}`, opts: { kind: SpanKind.CLIENT, attributes } };
}

/** Runs one statement (fn awaits it) inside its span. */
export const traced = <T>(s: SqlSpan, fn: () => Promise<T>): Promise<T> => withSpan(s.name, s.opts, fn);
