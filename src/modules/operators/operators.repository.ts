// SQL of operators and their sessions, and the account search of the operator console (docs/console.md#operators).
import type { Sql } from '../../platform/db/client.ts';
import type { AccountSummaryView } from './operators.views.ts';

export interface OperatorRow {
  operator_id: string;
  email: string;
  password_hash: string;
  totp_secret: string;
  last_totp_step: string;
}

export async function insertOperator(
  sql: Sql,
  o: { operatorId: string; email: string; passwordHash: string; totpSecret: string },
): Promise<void> {
  await sql`/* insertOperator */
    insert into operators (operator_id, email, password_hash, totp_secret)
    values (${o.operatorId}, ${o.email}, ${o.passwordHash}, ${o.totpSecret})`;
}

export async function operatorByEmail(sql: Sql, email: string): Promise<OperatorRow | null> {
  const [r] = await sql<OperatorRow[]>`/* operatorByEmail */
    select operator_id, email, password_hash, totp_secret, last_totp_step::text from operators where email = ${email}`;
  return r ?? null;
}

/** Records the step of an accepted code; false when that step (or a later one) was already used. */
export async function useTotpStep(sql: Sql, operatorId: string, step: number): Promise<boolean> {
  const r = await sql`/* useTotpStep */
    update operators set last_totp_step = ${step} where operator_id = ${operatorId} and last_totp_step < ${step}`;
  return r.count > 0;
}

export interface OperatorSessionRow {
  operator_id: string;
  email: string;
  csrf_token: string;
  expires_at: Date;
  last_seen_at: Date;
}

export async function insertOperatorSession(
  sql: Sql,
  s: { hash: Buffer; operatorId: string; csrf: string; ip: string; absoluteSec: number },
): Promise<void> {
  await sql`/* insertOperatorSession */
    insert into operator_sessions (session_hash, operator_id, csrf_token, ip, expires_at)
    values (${s.hash}, ${s.operatorId}, ${s.csrf}, ${s.ip}, now() + make_interval(secs => ${s.absoluteSec}))`;
}

export async function liveOperatorSession(sql: Sql, hash: Buffer, idleSec: number): Promise<OperatorSessionRow | null> {
  const [r] = await sql<OperatorSessionRow[]>`/* liveOperatorSession */
    update operator_sessions s set last_seen_at = case when s.last_seen_at < now() - interval '1 minute'
                                                   then now() else s.last_seen_at end
    from operators o
    where s.session_hash = ${hash} and o.operator_id = s.operator_id
      and s.expires_at > now() and s.last_seen_at > now() - make_interval(secs => ${idleSec})
    returning o.operator_id, o.email, s.csrf_token, s.expires_at, s.last_seen_at`;
  return r ?? null;
}

export async function deleteOperatorSession(sql: Sql, hash: Buffer): Promise<void> {
  await sql`/* deleteOperatorSession */ delete from operator_sessions where session_hash = ${hash}`;
}

export async function searchAccounts(sql: Sql, search: string | null, first: number): Promise<AccountSummaryView[]> {
  const like = search ? `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
  const rows = await sql<
    { account_id: string; name: string; balance: bigint; created_at: Date; owners: string[] | null; clients: number }[]
  >`/* searchAccounts */
    select a.account_id, a.name, a.balance, a.created_at,
           (select array_agg(u.email order by u.created_at) from console_users u
             where u.account_id = a.account_id and u.role = 'owner') as owners,
           (select count(*)::int from api_clients c where c.account_id = a.account_id) as clients
    from accounts a
    where ${like}::text is null or a.account_id ilike ${like} or a.name ilike ${like}
       or exists (select 1 from console_users u where u.account_id = a.account_id and u.email ilike ${like})
    order by a.created_at desc limit ${first}`;
  return rows.map((r) => ({
    accountId: r.account_id,
    name: r.name,
    balance: r.balance,
    createdAt: r.created_at,
    owners: r.owners ?? [],
    clients: r.clients,
  }));
}
