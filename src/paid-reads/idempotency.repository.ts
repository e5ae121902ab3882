// Stored responses for Idempotency-Key replays. A key is claimed with a pending row (status 0) before the
// work runs, so concurrent first uses of one key cannot both run (and both charge).
import type { Sql } from '../db/client.ts';

export interface IdempotencyRecord {
  request_hash: string;
  status: number;
  body: unknown;
}

export const PENDING = 0;

/** True when this caller now owns the key. Records older than 24 h are forgotten first. */
export async function claimKey(sql: Sql, clientId: string, scope: string, key: string, hash: string): Promise<boolean> {
  await sql`/* idempotencyExpire */ delete from idempotency_records
    where client_id = ${clientId} and scope = ${scope} and idem_key = ${key} and created_at < now() - interval '24 hours'`;
  const rows =
    await sql`/* idempotencyClaim */ insert into idempotency_records (client_id, scope, idem_key, request_hash, status, body)
    values (${clientId}, ${scope}, ${key}, ${hash}, ${PENDING}, '{}'::jsonb)
    on conflict (client_id, scope, idem_key) do nothing returning 1`;
  return rows.length === 1;
}

export async function findKey(
  sql: Sql,
  clientId: string,
  scope: string,
  key: string,
): Promise<IdempotencyRecord | null> {
  const rows = await sql<
    IdempotencyRecord[]
  >`/* idempotencyFind */ select request_hash, status, body from idempotency_records
    where client_id = ${clientId} and scope = ${scope} and idem_key = ${key} and created_at >= now() - interval '24 hours'`;
  return rows[0] ?? null;
}

export async function completeKey(
  sql: Sql,
  clientId: string,
  scope: string,
  key: string,
  status: number,
  body: unknown,
): Promise<void> {
  await sql`/* idempotencyComplete */ update idempotency_records set status = ${status}, body = ${JSON.stringify(body)}::text::jsonb
    where client_id = ${clientId} and scope = ${scope} and idem_key = ${key}`;
}

/** The work failed (nothing was charged): release the key so the client may retry with it. */
export async function releaseKey(sql: Sql, clientId: string, scope: string, key: string): Promise<void> {
  await sql`/* idempotencyRelease */ delete from idempotency_records
    where client_id = ${clientId} and scope = ${scope} and idem_key = ${key} and status = ${PENDING}`;
}
