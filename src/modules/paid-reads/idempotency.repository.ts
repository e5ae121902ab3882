// Idempotency-Key records of paid reads (docs/billing.md#idempotency-keys). A key is claimed with a pending row
// (status 0) held by a lease: `lease_owner` is the request id of the attempt, `lease_until` is renewed while it
// runs. The debit marks the row charged in the debit's own transaction (debit_batch); the answer is stored
// afterwards as the exact response text. Records are remembered for 24 hours.
import type { Sql } from '../../platform/db/client.ts';

export const PENDING = 0;

export interface KeyId {
  clientId: string;
  scope: string;
  key: string;
}

export interface KeyRecord {
  requestHash: string;
  /** HTTP status of the stored answer; PENDING while none is stored. */
  status: number;
  /** The answer as sent; null on rows written before answers were stored as text (see `legacyBody`). */
  response: string | null;
  responseHeaders: Record<string, string> | null;
  legacyBody: unknown;
  /** The request whose answer this is (the charged one once charged). */
  requestId: string | null;
  leaseOwner: string | null;
  /** Milliseconds left on the lease (0 once it ran out); null for pending rows without a lease (legacy). */
  leaseLeftMs: number | null;
  charge: CommittedCharge | null;
}

/** What the debit wrote into the key in its transaction. */
export interface CommittedCharge {
  requestId: string;
  cost: bigint;
  balance: bigint;
  lines: unknown[];
}

interface Row {
  request_hash: string;
  status: number;
  response: string | null;
  response_headers: Record<string, string> | null;
  body: unknown;
  request_id: string | null;
  lease_owner: string | null;
  lease_left_ms: number | null;
  charged_at: Date | null;
  charge: { cost: string; balance: string; lines: unknown[] } | null;
}

const chargeOf = (r: Pick<Row, 'charged_at' | 'charge' | 'request_id'>): CommittedCharge | null =>
  r.charged_at && r.charge && r.request_id
    ? { requestId: r.request_id, cost: BigInt(r.charge.cost), balance: BigInt(r.charge.balance), lines: r.charge.lines }
    : null;

/** True when `owner` now holds the key (a new pending row). Records older than 24 h are forgotten first. */
export async function claimKey(sql: Sql, id: KeyId, hash: string, owner: string, leaseMs: number): Promise<boolean> {
  await sql`/* idempotencyExpire */ delete from idempotency_records
    where client_id = ${id.clientId} and scope = ${id.scope} and idem_key = ${id.key}
      and created_at < now() - interval '24 hours'`;
  const rows = await sql`/* idempotencyClaim */
    insert into idempotency_records (client_id, scope, idem_key, request_hash, status, body, lease_owner, lease_until)
    values (${id.clientId}, ${id.scope}, ${id.key}, ${hash}, ${PENDING}, '{}'::jsonb, ${owner},
            now() + make_interval(secs => ${leaseMs / 1000}))
    on conflict (client_id, scope, idem_key) do nothing returning 1`;
  return rows.length === 1;
}

export async function findKey(sql: Sql, id: KeyId): Promise<KeyRecord | null> {
  const rows = await sql<Row[]>`/* idempotencyFind */
    select request_hash, status, response, response_headers, body, request_id, lease_owner, charged_at, charge,
           case when lease_until is null then null
                else greatest(0, ceil(extract(epoch from lease_until - now()) * 1000))::int end as lease_left_ms
    from idempotency_records
    where client_id = ${id.clientId} and scope = ${id.scope} and idem_key = ${id.key}
      and created_at >= now() - interval '24 hours'`;
  const r = rows[0];
  if (!r) return null;
  return {
    requestHash: r.request_hash,
    status: r.status,
    response: r.response,
    responseHeaders: r.response_headers,
    legacyBody: r.body,
    requestId: r.request_id,
    leaseOwner: r.lease_owner,
    leaseLeftMs: r.lease_left_ms,
    charge: chargeOf(r),
  };
}

/**
 * Takes a pending key over from `prevOwner` whose lease ran out (it died, or stalled past its lease). Only one
 * caller wins. Returns the key's committed charge (null when none was made), or undefined when not taken.
 */
export async function takeOverKey(
  sql: Sql,
  id: KeyId,
  prevOwner: string,
  owner: string,
  leaseMs: number,
): Promise<CommittedCharge | null | undefined> {
  const rows = await sql<Pick<Row, 'charged_at' | 'charge' | 'request_id'>[]>`/* idempotencyTakeOver */
    update idempotency_records
    set lease_owner = ${owner}, lease_until = now() + make_interval(secs => ${leaseMs / 1000})
    where client_id = ${id.clientId} and scope = ${id.scope} and idem_key = ${id.key}
      and status = ${PENDING} and lease_owner = ${prevOwner} and lease_until <= now()
    returning charged_at, charge, request_id`;
  return rows.length ? chargeOf(rows[0]) : undefined;
}

/** The owner is still working: push its lease out. */
export async function renewKey(sql: Sql, id: KeyId, owner: string, leaseMs: number): Promise<void> {
  await sql`/* idempotencyRenew */
    update idempotency_records set lease_until = now() + make_interval(secs => ${leaseMs / 1000})
    where client_id = ${id.clientId} and scope = ${id.scope} and idem_key = ${id.key}
      and lease_owner = ${owner} and status = ${PENDING}`;
}

export interface AnswerRecord {
  status: number;
  text: string;
  headers: Record<string, string>;
  requestId: string;
}

/** Stores the answer, if `owner` still holds the key. False when it does not (another attempt took over). */
export async function completeKey(sql: Sql, id: KeyId, owner: string, a: AnswerRecord): Promise<boolean> {
  const rows = await sql`/* idempotencyComplete */
    update idempotency_records
    set status = ${a.status}, response = ${a.text}, response_headers = ${JSON.stringify(a.headers)}::text::jsonb,
        request_id = coalesce(request_id, ${a.requestId}), lease_until = null
    where client_id = ${id.clientId} and scope = ${id.scope} and idem_key = ${id.key}
      and lease_owner = ${owner} and status = ${PENDING}
    returning 1`;
  return rows.length === 1;
}

/**
 * The owner gives the key up without an answer. Uncharged: the row goes, and a retry runs afresh. Charged (the
 * debit committed): the row stays charged and only the lease ends, so the next retry rebuilds the answer from
 * the charge at once. A debit still in flight holds the row lock, so this waits for it and sees its outcome.
 */
export async function releaseKey(sql: Sql, id: KeyId, owner: string): Promise<void> {
  await sql`/* idempotencyRelease */
    with gone as (
      delete from idempotency_records
      where client_id = ${id.clientId} and scope = ${id.scope} and idem_key = ${id.key}
        and lease_owner = ${owner} and status = ${PENDING} and charged_at is null
      returning 1
    )
    update idempotency_records set lease_until = now()
    where client_id = ${id.clientId} and scope = ${id.scope} and idem_key = ${id.key}
      and lease_owner = ${owner} and status = ${PENDING} and charged_at is not null`;
}
