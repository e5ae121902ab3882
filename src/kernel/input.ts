/** Oldest and newest year any date or instant a client sends may name (docs/input-validation.md#dates). */
export const MIN_YEAR = 1970;
export const MAX_YEAR = 9999;

// Without the `u` flag a regex sees UTF-16 code units, so it can find a surrogate that has no partner.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * Why a string cannot be stored as PostgreSQL text, or null when it can: NUL is refused by the server, and a
 * lone UTF-16 surrogate has no UTF-8 form (the driver would silently turn it into U+FFFD).
 */
export function pgTextProblem(s: string): string | null {
  if (s.includes('\u0000')) return 'must not contain NUL characters';
  if (LONE_SURROGATE.test(s)) return 'must not contain unpaired UTF-16 surrogates';
  return null;
}

/** The path and problem of the first string (key or value) in a JSON value that PostgreSQL cannot store. */
export function firstPgTextProblem(value: unknown, path: string[] = []): { path: string; problem: string } | null {
  if (typeof value === 'string') {
    const problem = pgTextProblem(value);
    return problem ? { path: path.join('.') || 'body', problem } : null;
  }
  if (typeof value !== 'object' || value === null) return null;
  for (const [k, v] of Object.entries(value)) {
    const keyProblem = pgTextProblem(k);
    if (keyProblem) return { path: [...path, '(key)'].join('.'), problem: keyProblem };
    const inner = firstPgTextProblem(v, [...path, k]);
    if (inner) return inner;
  }
  return null;
}

/** True for YYYY-MM-DD naming a real day (no 02-31) between MIN_YEAR and MAX_YEAR. */
export function isCalendarDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  return realDay(Number(m[1]), Number(m[2]), Number(m[3]));
}

function realDay(y: number, mo: number, d: number): boolean {
  if (y < MIN_YEAR || y > MAX_YEAR || mo < 1 || mo > 12 || d < 1) return false;
  // Date.UTC maps years 0–99 onto 1900–1999; the range check above keeps us clear of that.
  const day = new Date(Date.UTC(y, mo - 1, d));
  return day.getUTCFullYear() === y && day.getUTCMonth() === mo - 1 && day.getUTCDate() === d;
}

/** True for a wall-clock time that exists: hh 00–23, mm 00–59, ss 00–59. */
export function isClockTime(h: number, mi: number, s = 0): boolean {
  return h >= 0 && h <= 23 && mi >= 0 && mi <= 59 && s >= 0 && s <= 59;
}

const UTC_INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d{1,6})?Z$/;

/** True for `YYYY-MM-DDThh:mm:ss[.ffffff]Z` naming a real instant between MIN_YEAR and MAX_YEAR. */
export function isUtcInstant(s: string): boolean {
  const m = UTC_INSTANT.exec(s);
  if (!m) return false;
  const n = m.slice(1, 7).map(Number);
  return realDay(n[0], n[1], n[2]) && isClockTime(n[3], n[4], n[5]);
}

/**
 * PostgreSQL SQLSTATE class 22 (data exception: bad date, out-of-range number, NUL byte, invalid text
 * representation …). Input validation should have refused the value first; when one slips through it is still
 * the client's bad input, not a server fault (docs/input-validation.md#defence-in-depth).
 */
export function isPgDataError(e: unknown): boolean {
  if (typeof e !== 'object' || e === null) return false;
  const err = e as { code?: unknown; severity?: unknown; name?: unknown };
  // postgres.js errors carry the server's severity; that keeps an unrelated `code` of another library out.
  return (
    typeof err.code === 'string' &&
    /^22[0-9A-Z]{3}$/.test(err.code) &&
    (err.name === 'PostgresError' || typeof err.severity === 'string')
  );
}
