// SQL for refresh tokens (stored as SHA-256 hashes only) and for the stored answers of /auth/revoke replays.
import type { Sql } from '../../platform/db/client.ts';

/**
 * @public The bench's token floor runs it from dist/ (test/bench/floor-server.mjs); issuing stores the token
 * through sessions.repository.ts lockClientAndStoreRefreshToken, under the client row's lock.
 */
export async function insertRefreshToken(tx: Sql, tokenHash: Buffer, clientId: string, ttlSec: number): Promise<void> {
  await tx`/* insertRefreshToken */
    insert into refresh_tokens (token_hash, client_id, expires_at) values (${tokenHash}, ${clientId}, now() + make_interval(secs => ${ttlSec}))`;
}

/** Single use, atomically: of two concurrent calls with one token exactly one gets the row. */
export async function consumeRefreshToken(tx: Sql, tokenHash: Buffer): Promise<string | null> {
  const rows = await tx<{ client_id: string }[]>`/* consumeRefreshToken */
    update refresh_tokens set consumed_at = now()
    where token_hash = ${tokenHash} and consumed_at is null and revoked_at is null and expires_at > now()
    returning client_id`;
  return rows[0]?.client_id ?? null;
}

export interface RefreshTokenState {
  clientId: string;
  consumed: boolean;
}

export async function refreshTokenState(sql: Sql, tokenHash: Buffer): Promise<RefreshTokenState | null> {
  const rows = await sql<{ client_id: string; consumed: boolean }[]>`/* refreshTokenState */
    select client_id, consumed_at is not null as consumed from refresh_tokens where token_hash = ${tokenHash}`;
  return rows[0] ? { clientId: rows[0].client_id, consumed: rows[0].consumed } : null;
}

/** Revokes one live refresh token; returns its client, or null when there was nothing live to revoke. */
export async function revokeRefreshToken(sql: Sql, tokenHash: Buffer): Promise<string | null> {
  const rows = await sql<{ client_id: string }[]>`/* revokeRefreshToken */
    update refresh_tokens set revoked_at = now()
    where token_hash = ${tokenHash} and consumed_at is null and revoked_at is null returning client_id`;
  return rows[0]?.client_id ?? null;
}

export async function revokeClientRefreshTokens(sql: Sql, clientId: string): Promise<number> {
  const rows = await sql`/* revokeClientRefreshTokens */
    update refresh_tokens set revoked_at = now() where client_id = ${clientId} and consumed_at is null and revoked_at is null`;
  return rows.count;
}

export interface StoredAnswer {
  requestHash: string;
  status: number;
  body: unknown;
}

export async function storedAnswer(
  sql: Sql,
  clientId: string,
  scope: string,
  key: string,
): Promise<StoredAnswer | null> {
  const rows = await sql<{ request_hash: string; status: number; body: unknown }[]>`/* storedAnswer */
    select request_hash, status, body from idempotency_records
    where client_id = ${clientId} and scope = ${scope} and idem_key = ${key} and created_at > now() - interval '24 hours'`;
  return rows[0] ? { requestHash: rows[0].request_hash, status: rows[0].status, body: rows[0].body } : null;
}

export async function storeAnswer(
  sql: Sql,
  clientId: string,
  scope: string,
  key: string,
  a: StoredAnswer,
): Promise<void> {
  await sql`/* storeAnswer */
    insert into idempotency_records (client_id, scope, idem_key, request_hash, status, body)
    values (${clientId}, ${scope}, ${key}, ${a.requestHash}, ${a.status}, ${sql.json(a.body as never)})
    on conflict (client_id, scope, idem_key) do update
      set request_hash = excluded.request_hash, status = excluded.status, body = excluded.body, created_at = now()
      where idempotency_records.created_at <= now() - interval '24 hours'`;
}
