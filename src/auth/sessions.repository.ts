// SQL that ends a client's sessions and that issues tokens under the client's row lock, so that a token pair
// is either issued before a session end (and ended by it) or after it (and then sees it).
// See docs/tokens-and-sessions.md#ending-sessions
import type { Sql } from '../db/client.ts';

export interface IssueGuard {
  enabled: boolean;
  /** Tokens whose jti time is before this moment are refused (null: never marked). */
  notBefore: Date | null;
}

/**
 * Locks the client row (shared) for the rest of the transaction and returns what issuing depends on.
 * A session end takes the row exclusively, so it waits for a running issue and the next issue waits for it.
 */
export async function lockClientForIssue(tx: Sql, clientId: string): Promise<IssueGuard | null> {
  const rows = await tx<{ enabled: boolean; not_before: Date | null }[]>`/* lockClientForIssue */
    select enabled, not_before from api_clients where client_id = ${clientId} for share`;
  return rows[0] ? { enabled: rows[0].enabled, notBefore: rows[0].not_before } : null;
}

/**
 * Ends every session of the client as of `at`: moves the durable not-before mark forward (access tokens
 * minted before it are refused on every node) and revokes every live refresh token. Run it in the
 * transaction that holds the client row `for update`. Returns the number of refresh tokens revoked.
 */
export async function endClientSessions(tx: Sql, clientId: string, at: Date): Promise<number> {
  await tx`/* stampClientNotBefore */
    update api_clients set not_before = greatest(coalesce(not_before, ${at}), ${at}) where client_id = ${clientId}`;
  const rows = await tx`/* revokeLiveRefreshTokens */
    update refresh_tokens set revoked_at = now()
    where client_id = ${clientId} and consumed_at is null and revoked_at is null`;
  return rows.count;
}
