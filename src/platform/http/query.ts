// Strict query parameters (docs/rest.md#query-parameters): every route declares the parameters it takes, and the
// pipeline checks the query against that declaration before the handler runs. A parameter the route does not
// take is `400 unknown_parameter`, a scalar given twice `400 bad_request`; a list parameter means the same set in
// the comma (`include=a,b`), repeated (`include=a&include=b`) and PHP bracket (`include[]=a`, `include[0]=a`)
// forms. The handler sees one value per parameter: a list as its comma form.
import { AppError } from '../../kernel/errors.ts';

/** What a route takes: each parameter's name, and whether it is one value or a list. */
export type QueryParams = Readonly<Record<string, 'one' | 'list'>>;

/**
 * A route's query declaration. Omitted: the route takes no query parameters. `ignored`: the query is not read
 * and not checked (pages for browsers, the metrics scrape), never on /api/v1 or /admin/v1.
 */
export type QuerySpec = QueryParams | 'ignored';

/** Longest query string (the part after `?`, as sent) a route reads; longer is `414 uri_too_long`. */
export const MAX_QUERY_BYTES = 8192;
/** Most `name=value` pairs in one query; more is `400 bad_request`.  @internal Exported for its tests. */
export const MAX_QUERY_PARAMS = 100;

/** `include[]`, `include[0]`: the PHP forms of a list (http_build_query, PHP's own arrays). */
const BRACKETS = /^([^[\]]+)\[(\d{0,6})\]$/;

const clip = (s: string) => (s.length > 60 ? `${s.slice(0, 60)}…` : s);

/** `?a=1&b=2` (or '') -> the checked query, one value per declared parameter. Throws the 400/414 it earns. */
export function strictQuery(spec: QueryParams, search: string): URLSearchParams {
  const raw = search.startsWith('?') ? search.slice(1) : search;
  if (raw.length > MAX_QUERY_BYTES) {
    throw new AppError('uri_too_long', `The query string is over ${MAX_QUERY_BYTES} bytes.`);
  }
  const given = new URLSearchParams(raw);
  const scalars = new Map<string, string>();
  const lists = new Map<string, string[]>();
  let count = 0;
  for (const [key, value] of given) {
    if (++count > MAX_QUERY_PARAMS) {
      throw new AppError('bad_request', `Too many query parameters: at most ${MAX_QUERY_PARAMS}.`);
    }
    const bracketed = BRACKETS.exec(key);
    // Own keys only: `constructor` or `__proto__` must not find something on Object.prototype.
    const name = Object.hasOwn(spec, key) ? key : bracketed && Object.hasOwn(spec, bracketed[1]) ? bracketed[1] : null;
    if (name === null) throw unknown(spec, key);
    if (spec[name] === 'list') {
      const values = lists.get(name) ?? [];
      values.push(value);
      lists.set(name, values);
    } else if (name !== key) {
      throw new AppError('bad_request', `\`${name}\` takes one value, not a list (\`${clip(key)}\`).`);
    } else if (scalars.has(name)) {
      throw new AppError('bad_request', `\`${name}\` is given more than once; it takes one value.`);
    } else {
      scalars.set(name, value);
    }
  }
  const out = new URLSearchParams();
  for (const [name, value] of scalars) out.set(name, value);
  for (const [name, values] of lists) out.set(name, values.join(','));
  return out;
}

function unknown(spec: QueryParams, key: string): AppError {
  const names = Object.keys(spec);
  const takes = names.length ? `it takes ${names.join(', ')}` : 'it takes no query parameters';
  return new AppError('unknown_parameter', `Unknown query parameter \`${clip(key)}\`: ${takes}.`);
}
