// A deprecated REST operation (docs/versioning.md#what-may-change-when): declared once, on its route definition
// (`deprecated: { since, sunset }`), and from there its answers carry `Deprecation` (RFC 9745), `Sunset`
// (RFC 8594) and a `Link` to the policy, and the start-up check holds schema/openapi.yaml to `deprecated: true`
// on its operation (src/platform/openapi/openapi.routes.ts).
export interface Deprecation {
  /** The day (UTC, `YYYY-MM-DD`) the operation was deprecated. */
  since: string;
  /** The earliest day (UTC, `YYYY-MM-DD`) it may be removed; at least 90 days after a release that deprecated it. */
  sunset?: string;
}

/** Where a deprecated operation's `Link: <…>; rel="deprecation"` points: the policy on the docs site. @internal Exported for its tests. */
export const DEPRECATION_POLICY_PAGE = '/docs/rules/versioning#what-may-change-when';

function day(route: string, what: string, value: string): Date {
  const d = new Date(`${value}T00:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== value)
    throw new Error(`${route}: deprecated.${what} must be a date YYYY-MM-DD, not ${JSON.stringify(value)}`);
  return d;
}

/** The headers every answer of the operation carries; throws (at start-up) on a malformed declaration. */
export function deprecationHeaders(route: string, d: Deprecation): Record<string, string> {
  const since = day(route, 'since', d.since);
  const h: Record<string, string> = {
    Deprecation: `@${Math.floor(since.getTime() / 1000)}`,
    Link: `<${DEPRECATION_POLICY_PAGE}>; rel="deprecation"; type="text/html"`,
  };
  if (d.sunset !== undefined) {
    const sunset = day(route, 'sunset', d.sunset);
    if (sunset <= since) throw new Error(`${route}: deprecated.sunset must come after deprecated.since`);
    h.Sunset = sunset.toUTCString(); // IMF-fixdate: "Mon, 01 Mar 2027 00:00:00 GMT"
  }
  return h;
}

/** A route's own `Link` (a listing's rel="next") and the deprecation link, as one header. */
export function withDeprecation(
  headers: Record<string, string> | undefined,
  dep: Record<string, string>,
): Record<string, string> {
  const out = { ...dep, ...headers };
  if (headers?.Link) out.Link = `${headers.Link}, ${dep.Link}`;
  return out;
}
