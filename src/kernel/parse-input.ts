// Request input checked at the edge, for every door that takes JSON (docs/input-validation.md): a zod schema's
// first problem becomes a 400 naming the field, and strings PostgreSQL cannot hold are refused before any query.
import type { z } from 'zod';
import { AppError } from './errors.ts';
import { firstPgTextProblem } from './input.ts';

/** Parses with a schema or throws 400 bad_request naming the first offending field. */
export function parseInput<T extends z.ZodType>(schema: T, value: unknown): z.infer<T> {
  const r = schema.safeParse(value);
  if (r.success) {
    // Every string of an accepted body goes to PostgreSQL text or jsonb: refuse what it cannot hold
    // (docs/input-validation.md#text).
    const bad = firstPgTextProblem(r.data);
    if (bad) throw new AppError('bad_request', `${bad.path}: ${bad.problem}`);
    return r.data;
  }
  const issue = r.error.issues[0];
  const where = issue.path.length ? issue.path.join('.') : 'body';
  throw new AppError('bad_request', `${where}: ${issue.message}`);
}

/** Idempotency keys: 20–255 printable ASCII characters. */
export function parseIdempotencyKey(raw: string | string[] | undefined, required: boolean): string | null {
  if (raw === undefined) {
    if (required) throw new AppError('bad_request', 'Idempotency-Key header is required (20-255 characters).');
    return null;
  }
  const key = Array.isArray(raw) ? raw[0] : raw;
  if (!/^[\x21-\x7e]{20,255}$/.test(key))
    throw new AppError('bad_request', 'Idempotency-Key must be 20 to 255 visible ASCII characters.');
  return key;
}
