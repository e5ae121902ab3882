// SQL of the people module: persons, sessions, one-time links and the audit log (docs/console.md).
import type { Sql } from '../../platform/db/client.ts';
import type { AuditView, InvitationView, MemberView, Role } from './console.views.ts';

export interface UserRow {
  user_id: string;
  account_id: string;
  email: string;
  name: string | null;
  role: Role;
  password_hash: string;
  email_verified_at: Date | null;
  created_at: Date;
}

export interface SessionRow extends UserRow {
  csrf_token: string;
  expires_at: Date;
  last_seen_at: Date;
  account_name: string;
}

export const memberView = (u: UserRow): MemberView => ({
  userId: u.user_id,
  email: u.email,
  name: u.name,
  role: u.role,
  emailVerified: u.email_verified_at !== null,
  createdAt: u.created_at,
});

export async function userByEmail(sql: Sql, email: string): Promise<UserRow | null> {
  const [r] = await sql<UserRow[]>`/* userByEmail */ select * from console_users where email = ${email}`;
  return r ?? null;
}

export async function userInAccount(sql: Sql, accountId: string, userId: string): Promise<UserRow | null> {
  const [r] = await sql<UserRow[]>`/* userInAccount */
    select * from console_users where user_id = ${userId} and account_id = ${accountId}`;
  return r ?? null;
}

export async function insertUser(
  sql: Sql,
  u: Omit<UserRow, 'created_at' | 'email_verified_at'> & { verified: boolean },
): Promise<UserRow> {
  const [r] = await sql<UserRow[]>`/* insertUser */
    insert into console_users (user_id, account_id, email, name, role, password_hash, email_verified_at)
    values (${u.user_id}, ${u.account_id}, ${u.email}, ${u.name}, ${u.role}, ${u.password_hash},
            ${u.verified ? sql`now()` : null})
    returning *`;
  return r;
}

export async function teamOf(sql: Sql, accountId: string): Promise<UserRow[]> {
  return sql<UserRow[]>`/* teamOf */ select * from console_users where account_id = ${accountId} order by created_at`;
}

export async function ownersOf(sql: Sql, accountId: string): Promise<number> {
  const [{ n }] = await sql<{ n: number }[]>`/* ownersOf */
    select count(*)::int as n from console_users where account_id = ${accountId} and role = 'owner'`;
  return n;
}

export async function setUserRole(sql: Sql, userId: string, role: Role): Promise<UserRow> {
  const [r] = await sql<UserRow[]>`/* setUserRole */
    update console_users set role = ${role} where user_id = ${userId} returning *`;
  return r;
}

export async function deleteUser(sql: Sql, userId: string): Promise<void> {
  await sql`/* deleteUser */ delete from console_users where user_id = ${userId}`;
}

export async function setPassword(sql: Sql, userId: string, hash: string): Promise<void> {
  await sql`/* setPassword */ update console_users set password_hash = ${hash} where user_id = ${userId}`;
}

export async function markVerified(sql: Sql, userId: string): Promise<void> {
  await sql`/* markVerified */
    update console_users set email_verified_at = coalesce(email_verified_at, now()) where user_id = ${userId}`;
}

// Sessions -------------------------------------------------------------------------------------------------

export async function insertSession(
  sql: Sql,
  s: { hash: Buffer; userId: string; csrf: string; ip: string; absoluteSec: number },
): Promise<Date> {
  const [r] = await sql<{ expires_at: Date }[]>`/* insertSession */
    insert into console_sessions (session_hash, user_id, csrf_token, ip, expires_at)
    values (${s.hash}, ${s.userId}, ${s.csrf}, ${s.ip}, now() + make_interval(secs => ${s.absoluteSec}))
    returning expires_at`;
  return r.expires_at;
}

/** The live session of a cookie (within both lifetimes), touched at most once a minute. */
export async function liveSession(sql: Sql, hash: Buffer, idleSec: number): Promise<SessionRow | null> {
  const [r] = await sql<SessionRow[]>`/* liveSession */
    update console_sessions s set last_seen_at = case when s.last_seen_at < now() - interval '1 minute'
                                                  then now() else s.last_seen_at end
    from console_users u join accounts a using (account_id)
    where s.session_hash = ${hash} and u.user_id = s.user_id
      and s.expires_at > now() and s.last_seen_at > now() - make_interval(secs => ${idleSec})
    returning u.*, s.csrf_token, s.expires_at, s.last_seen_at, a.name as account_name`;
  return r ?? null;
}

export async function deleteSession(sql: Sql, hash: Buffer): Promise<void> {
  await sql`/* deleteSession */ delete from console_sessions where session_hash = ${hash}`;
}

export async function deleteSessionsOf(sql: Sql, userId: string): Promise<void> {
  await sql`/* deleteSessionsOf */ delete from console_sessions where user_id = ${userId}`;
}

// One-time links ------------------------------------------------------------------------------------------

export interface TokenRow {
  kind: 'verify' | 'reset' | 'invite';
  user_id: string | null;
  account_id: string | null;
  email: string | null;
  role: Role | null;
  invitation_id: string | null;
  created_by: string | null;
  created_at: Date;
  expires_at: Date;
}

export async function insertToken(
  sql: Sql,
  t: Omit<TokenRow, 'created_at' | 'expires_at'> & { hash: Buffer; ttlSec: number },
): Promise<TokenRow> {
  const [r] = await sql<TokenRow[]>`/* insertToken */
    insert into console_tokens (token_hash, kind, user_id, account_id, email, role, invitation_id, created_by, expires_at)
    values (${t.hash}, ${t.kind}, ${t.user_id}, ${t.account_id}, ${t.email}, ${t.role}, ${t.invitation_id},
            ${t.created_by}, now() + make_interval(secs => ${t.ttlSec}))
    returning *`;
  return r;
}

/** Uses a link once: only the first caller within its lifetime gets the row. */
export async function consumeToken(sql: Sql, hash: Buffer, kind: TokenRow['kind']): Promise<TokenRow | null> {
  const [r] = await sql<TokenRow[]>`/* consumeToken */
    update console_tokens set used_at = now()
    where token_hash = ${hash} and kind = ${kind} and used_at is null and expires_at > now()
    returning *`;
  return r ?? null;
}

export async function pendingInvitations(sql: Sql, accountId: string): Promise<InvitationView[]> {
  const rows = await sql<TokenRow[]>`/* pendingInvitations */
    select * from console_tokens
    where kind = 'invite' and account_id = ${accountId} and used_at is null and expires_at > now()
    order by created_at desc limit 200`;
  return rows.map(invitationView);
}

export const invitationView = (t: TokenRow): InvitationView => ({
  invitationId: t.invitation_id ?? '',
  email: t.email ?? '',
  role: t.role ?? 'viewer',
  invitedBy: t.created_by,
  createdAt: t.created_at,
  expiresAt: t.expires_at,
});

export async function revokeInvitation(sql: Sql, accountId: string, invitationId: string): Promise<boolean> {
  const r = await sql`/* revokeInvitation */
    update console_tokens set used_at = now()
    where invitation_id = ${invitationId} and account_id = ${accountId} and used_at is null`;
  return r.count > 0;
}

// Audit ----------------------------------------------------------------------------------------------------

export interface AuditRecord {
  accountId: string | null;
  actorKind: 'user' | 'operator' | 'system';
  actorId: string | null;
  actor: string | null;
  action: string;
  target?: string | null;
  details?: Record<string, unknown>;
  ip: string | null;
}

export async function insertAudit(sql: Sql, a: AuditRecord): Promise<void> {
  await sql`/* insertAudit */
    insert into console_audit (account_id, actor_kind, actor_id, actor, action, target, details, ip)
    values (${a.accountId}, ${a.actorKind}, ${a.actorId}, ${a.actor}, ${a.action}, ${a.target ?? null},
            ${sql.json((a.details ?? {}) as never)}, ${a.ip})`;
}

export async function auditPage(
  sql: Sql,
  accountId: string | null,
  first: number,
  before: bigint | null,
): Promise<AuditView[]> {
  const rows = await sql<
    {
      audit_id: string;
      at: Date;
      actor_kind: AuditView['actorKind'];
      actor: string | null;
      action: string;
      target: string | null;
      details: unknown;
      ip: string | null;
    }[]
  >`/* auditPage */
    select audit_id::text, at, actor_kind, actor, action, target, details, ip from console_audit
    where (${accountId}::text is null or account_id = ${accountId})
      and (${before === null ? null : before.toString()}::bigint is null or audit_id < ${before === null ? null : before.toString()}::bigint)
    order by audit_id desc limit ${first}`;
  return rows.map((r) => ({
    id: r.audit_id,
    at: r.at,
    actorKind: r.actor_kind,
    actor: r.actor,
    action: r.action,
    target: r.target,
    details: JSON.stringify(r.details ?? {}),
    ip: r.ip,
  }));
}
