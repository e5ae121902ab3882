// The one scope check every product read calls (REST and GraphQL, single reads, bulk checks and listings),
// so a client's brand/ownership filter cannot be enforced in one door and forgotten in another.
import { createHash } from 'node:crypto';
import { AppError } from '../../kernel/errors.ts';
import type { ClientScope, Principal } from '../../kernel/principal.ts';

export interface ScopedItem {
  brand: string;
  ownership: string;
}

const norm = (s: string) => s.trim().toLowerCase();

/** True when the client may see the product. null lists mean "every". Comparison is case-insensitive. */
export function inScope(who: Pick<Principal, 'scope'> | ClientScope, item: ScopedItem): boolean {
  const scope = 'scope' in who ? who.scope : who;
  if (scope.brands && !scope.brands.some((b) => norm(b) === norm(item.brand))) return false;
  if (scope.ownerships && !scope.ownerships.some((o) => norm(o) === norm(item.ownership))) return false;
  return true;
}

/** Throws 403 out_of_scope when the product is outside the client's scope filter.  @internal Exported for its tests. */
export function assertInScope(who: Pick<Principal, 'scope'> | ClientScope, item: ScopedItem): void {
  if (!inScope(who, item)) throw new AppError('out_of_scope', 'This product is outside the scope of your API client.');
}

/** A short stable digest of the scope, carried in access tokens (`scope_hash`) for audit and caches. */
export function scopeHash(scope: ClientScope): string {
  const canon = (l: string[] | null) => (l ? [...new Set(l.map(norm))].sort() : null);
  return createHash('sha256')
    .update(JSON.stringify([canon(scope.brands), canon(scope.ownerships)]))
    .digest('base64url')
    .slice(0, 22);
}

// The OAuth2 `scope` of a token request (docs/rest.md#oauth2-scope): the client's scope filter as scope tokens,
// `brand:<name>` / `ownership:<name>` (the name percent-encoded, RFC 3986) or `brand:*` / `ownership:*` for "every".

/** The scope a token of this client carries, as the token response's `scope`: its whole filter. */
export function grantedScope(scope: ClientScope): string {
  const tokens = (kind: string, names: string[] | null) =>
    names === null ? [`${kind}:*`] : [...new Set(names.map((n) => `${kind}:${encodeURIComponent(n.trim())}`))];
  return [...tokens('brand', scope.brands), ...tokens('ownership', scope.ownerships)].join(' ');
}

/** Longest `scope` parameter read: far above any real filter, bounded so a flood costs nothing. */
const MAX_SCOPE = 4096;
/** RFC 6749 §3.3 scope-token characters, and our two kinds. */
const SCOPE_TOKEN = /^(brand|ownership):([\x21\x23-\x5B\x5D-\x7E]+)$/;

/**
 * The first token of a requested scope (space-separated, RFC 6749 §3.3) the client does not hold, with why; null
 * when it holds them all. `brand:X` is held by a client whose brands include X (case-insensitive) or who has no brand
 * restriction; `brand:*` only by the latter. The same for ownerships.
 */
export function missingScope(requested: string, scope: ClientScope): { token: string; malformed: boolean } | null {
  if (requested.length > MAX_SCOPE) return { token: `${requested.slice(0, 40)}…`, malformed: true };
  for (const token of requested.split(' ').filter(Boolean)) {
    const m = SCOPE_TOKEN.exec(token);
    let name: string | null = null;
    try {
      name = m && m[2] !== '*' ? decodeURIComponent(m[2]) : null;
    } catch {
      return { token, malformed: true };
    }
    if (!m || name?.trim() === '') return { token, malformed: true };
    const allowed = m[1] === 'brand' ? scope.brands : scope.ownerships;
    if (allowed === null) continue;
    if (name === null || !allowed.some((a) => norm(a) === norm(name))) return { token, malformed: false };
  }
  return null;
}
