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
