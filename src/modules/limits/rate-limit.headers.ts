// The rate-limit response headers of docs/rest.md#response-headers: the X-RateLimit-* set and the IETF draft fields
// (draft-ietf-httpapi-ratelimit-headers-08 and later: structured-field lists, one item per named policy).
export interface BucketState {
  name: 'minute' | 'day';
  limit: number;
  remaining: number;
  /** Window length in seconds (the policy's `w`). */
  windowSec: number;
  /** Unix epoch second at which this bucket refills. */
  resetAt: number;
}

/**
 * The bucket a client should watch: when a bucket is exhausted, the one that refills last among the
 * exhausted (nothing passes before it); otherwise the one with the fewest requests left (the sooner on ties).
 */
function tightest(buckets: BucketState[]): BucketState {
  const empty = buckets.filter((b) => b.remaining <= 0);
  if (empty.length) return empty.reduce((a, b) => (b.resetAt > a.resetAt ? b : a));
  return buckets.reduce((a, b) =>
    b.remaining < a.remaining || (b.remaining === a.remaining && b.resetAt < a.resetAt) ? b : a,
  );
}

export function rateLimitHeaders(buckets: BucketState[], nowSec: number): Record<string, string> {
  const h: Record<string, string> = {};
  for (const b of buckets) {
    const suffix = b.name === 'minute' ? 'Minute' : 'Day';
    h[`X-RateLimit-Limit-${suffix}`] = String(b.limit);
    h[`X-RateLimit-Remaining-${suffix}`] = String(Math.max(0, b.remaining));
  }
  h['X-RateLimit-Reset'] = String(tightest(buckets).resetAt);
  h['RateLimit-Policy'] = buckets.map((b) => `"${b.name}";q=${b.limit};w=${b.windowSec}`).join(', ');
  h.RateLimit = buckets
    .map((b) => `"${b.name}";r=${Math.max(0, b.remaining)};t=${Math.max(0, b.resetAt - nowSec)}`)
    .join(', ');
  return h;
}
