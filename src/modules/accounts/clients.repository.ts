// SQL for API clients and their keys. Rows are parsed into typed objects here; nothing above sees SQL.

import type { ClientMode, Tier } from '../../kernel/principal.ts';
import type { Sql } from '../../platform/db/client.ts';

type Tx = Sql; // a transaction handle has the same tagged-template surface

export interface ClientRow {
  clientId: string;
  accountId: string;
  name: string;
  tier: Tier;
  /** Fixed when the client is created. */
  mode: ClientMode;
  enabled: boolean;
  expiresAt: Date | null;
  ipAllowlist: string[];
  scopeBrands: string[] | null;
  scopeOwnerships: string[] | null;
  limitPerMinute: number | null;
  limitPerDay: number | null;
  notBefore: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export type ClientWrite = Omit<ClientRow, 'notBefore' | 'createdAt' | 'updatedAt'>;

interface RawClient {
  client_id: string;
  account_id: string;
  name: string;
  tier: Tier;
  mode: ClientMode;
  enabled: boolean;
  expires_at: Date | null;
  ip_allowlist: string[];
  scope_brands: string[] | null;
  scope_ownerships: string[] | null;
  limit_per_minute: number | null;
  limit_per_day: number | null;
  not_before: Date | null;
  created_at: Date;
  updated_at: Date;
}

function parse(r: RawClient): ClientRow {
  return {
    clientId: r.client_id,
    accountId: r.account_id,
    name: r.name,
    tier: r.tier,
    mode: r.mode,
    enabled: r.enabled,
    expiresAt: r.expires_at,
    ipAllowlist: r.ip_allowlist ?? [],
    scopeBrands: r.scope_brands,
    scopeOwnerships: r.scope_ownerships,
    limitPerMinute: r.limit_per_minute,
    limitPerDay: r.limit_per_day,
    notBefore: r.not_before,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

// cidr[] is returned as text[] so that the driver parses it into a plain string array.
const COLUMNS = (
  sql: Sql,
) => sql`client_id, account_id, name, tier, mode, enabled, expires_at, ip_allowlist::text[] as ip_allowlist,
  scope_brands, scope_ownerships, limit_per_minute, limit_per_day, not_before, created_at, updated_at`;

/** CIDR texts -> cidr[]; host bits are masked (10.1.2.3/8 -> 10.0.0.0/8), a bare address becomes /32 or /128. */
const cidrArray = (sql: Sql, list: string[]) =>
  sql`(select coalesce(array_agg(network(x::inet) order by ord), '{}'::cidr[]) from unnest(${list}::text[]) with ordinality as u(x, ord))`;

export async function insertClient(tx: Tx, c: ClientWrite): Promise<ClientRow> {
  const rows = await tx<RawClient[]>`/* insertClient */
    insert into api_clients (client_id, account_id, name, tier, mode, enabled, expires_at, ip_allowlist, scope_brands,
      scope_ownerships, limit_per_minute, limit_per_day)
    values (${c.clientId}, ${c.accountId}, ${c.name}, ${c.tier}, ${c.mode}, ${c.enabled}, ${c.expiresAt}, ${cidrArray(tx, c.ipAllowlist)},
      ${c.scopeBrands}, ${c.scopeOwnerships}, ${c.limitPerMinute}, ${c.limitPerDay})
    returning ${COLUMNS(tx)}`;
  return parse(rows[0]);
}

export async function updateClient(tx: Tx, c: ClientWrite): Promise<ClientRow | null> {
  const rows = await tx<RawClient[]>`/* updateClient */
    update api_clients set name = ${c.name}, tier = ${c.tier}, enabled = ${c.enabled}, expires_at = ${c.expiresAt},
      ip_allowlist = ${cidrArray(tx, c.ipAllowlist)}, scope_brands = ${c.scopeBrands}, scope_ownerships = ${c.scopeOwnerships},
      limit_per_minute = ${c.limitPerMinute}, limit_per_day = ${c.limitPerDay}, updated_at = now()
    where client_id = ${c.clientId}
    returning ${COLUMNS(tx)}`;
  return rows[0] ? parse(rows[0]) : null;
}

export async function clientById(sql: Sql, clientId: string, forUpdate = false): Promise<ClientRow | null> {
  const rows = forUpdate
    ? await sql<
        RawClient[]
      >`/* clientByIdForUpdate */ select ${COLUMNS(sql)} from api_clients where client_id = ${clientId} for update`
    : await sql<RawClient[]>`/* clientById */ select ${COLUMNS(sql)} from api_clients where client_id = ${clientId}`;
  return rows[0] ? parse(rows[0]) : null;
}

export async function clientsByAccount(sql: Sql, accountId: string): Promise<ClientRow[]> {
  const rows = await sql<RawClient[]>`/* clientsByAccount */
    select ${COLUMNS(sql)} from api_clients where account_id = ${accountId} order by created_at, client_id`;
  return rows.map(parse);
}

/** Moves the client's not-before mark forward (never back). */
export async function setClientNotBefore(sql: Sql, clientId: string, at: Date): Promise<void> {
  await sql`/* setClientNotBefore */
    update api_clients set not_before = greatest(coalesce(not_before, ${at}), ${at}) where client_id = ${clientId}`;
}

export async function insertApiKey(tx: Tx, clientId: string, keyHash: Buffer): Promise<void> {
  await tx`/* insertApiKey */ insert into api_keys (client_id, key_hash) values (${clientId}, ${keyHash})`;
}

/**
 * Hashes of the keys that work right now: the current one and, during a rotation overlap, the previous one.
 * @public The bench's token floor runs it from dist/ (test/bench/floor-server.mjs); the exchange reads the same
 * rows through clientForExchange.
 */
export async function activeKeyHashes(sql: Sql, clientId: string): Promise<Buffer[]> {
  const rows = await sql<{ key_hash: Buffer }[]>`/* activeKeyHashes */
    select key_hash from api_keys where client_id = ${clientId} and (retired_at is null or retired_at > now())`;
  return rows.map((r) => r.key_hash);
}

export interface ClientForExchange {
  client: ClientRow;
  /** As activeKeyHashes: the current key and, during a rotation overlap, the previous one. */
  keyHashes: Buffer[];
  /** The account's balance (units), for the exchange's X-Credits-Remaining; null when the account is gone. */
  balance: bigint | null;
}

/**
 * What a token exchange reads, in one statement: the client row, the hashes of its working keys and its
 * account's balance. One round trip instead of three (clientById, activeKeyHashes, the balance the pipeline
 * would read for the answer's header). Null when there is no such client.
 */
export async function clientForExchange(sql: Sql, clientId: string): Promise<ClientForExchange | null> {
  const rows = await sql<(RawClient & { key_hash: Buffer | null; balance: bigint | null })[]>`/* clientForExchange */
    select c.*, k.key_hash, (select balance from accounts a where a.account_id = c.account_id) as balance
    from (select ${COLUMNS(sql)} from api_clients where client_id = ${clientId}) c
    left join api_keys k on k.client_id = c.client_id and (k.retired_at is null or k.retired_at > now())`;
  if (!rows[0]) return null;
  return {
    client: parse(rows[0]),
    keyHashes: rows.flatMap((r) => (r.key_hash ? [r.key_hash] : [])),
    balance: rows[0].balance,
  };
}

/**
 * Retires the current key at now + overlap and ends any earlier overlap at once, so a client never holds
 * more than two working keys. Returns when the previous key stops working (null: there was none).
 */
export async function retireKeys(tx: Tx, clientId: string, overlapSec: number): Promise<Date | null> {
  await tx`/* endEarlierOverlap */
    update api_keys set retired_at = now() where client_id = ${clientId} and retired_at > now()`;
  const rows = await tx<{ retired_at: Date }[]>`/* retireCurrentKey */
    update api_keys set retired_at = now() + make_interval(secs => ${overlapSec})
    where client_id = ${clientId} and retired_at is null returning retired_at`;
  return rows[0]?.retired_at ?? null;
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
