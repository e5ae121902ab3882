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
