// SQL that issues tokens under the client's row lock, so that a token pair is either issued before a session
// end (accounts/clients.repository.ts endClientSessions, which ends it) or after it (and then sees it).
// See docs/tokens-and-sessions.md#ending-sessions
import type { Sql } from '../../platform/db/client.ts';

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
 * One statement that locks the client row (shared) and, when the client is enabled, stores the new refresh
 * token's hash: lockClientForIssue + insertRefreshToken without BEGIN/COMMIT around them (on its own the
 * statement is its transaction; in a transaction it holds the lock to the end as lockClientForIssue does).
 * Returns the guard as read under the lock, and nothing is stored when it is null or disabled.
 */
export async function lockClientAndStoreRefreshToken(
  sql: Sql,
  clientId: string,
  tokenHash: Buffer,
  ttlSec: number,
): Promise<IssueGuard | null> {
  const rows = await sql<{ enabled: boolean; not_before: Date | null }[]>`/* lockClientAndStoreRefreshToken */
    with guard as (
      select enabled, not_before from api_clients where client_id = ${clientId} for share
    ), stored as (
      insert into refresh_tokens (token_hash, client_id, expires_at)
      select ${tokenHash}, ${clientId}, now() + make_interval(secs => ${ttlSec}) from guard where guard.enabled
    )
    select enabled, not_before from guard`;
  return rows[0] ? { enabled: rows[0].enabled, notBefore: rows[0].not_before } : null;
}
