// People of an account (docs/console.md): sign-up, verification, sign-in, sessions with CSRF, password reset,
// the team with roles and invitations, and the audit log every console action writes.
import { AppError } from '../../kernel/errors.ts';
import { newUlid } from '../../kernel/ids.ts';
import type { Sql } from '../../platform/db/client.ts';
import type { Mailer } from '../../platform/mail/mailer.ts';
import type { LoginThrottle } from '../../platform/shared-state/login-throttle.ts';
import type { AccountsService, ClientsService } from '../accounts/index.ts';
import type { AuditPage, ConsoleRequest, InvitationView, MemberView, Role, SessionView } from './console.views.ts';
import {
  assertPasswordAllowed,
  hashPassword,
  newSecret,
  normalEmail,
  sameSecret,
  sha256,
  verifyPassword,
} from './passwords.ts';
import * as repo from './people.repository.ts';

/** What a console field needs of the caller (docs/console.md#roles). */
export type Ability = 'self' | 'read' | 'keys' | 'billing' | 'team';

/** A signed-in person acting on their account. */
export interface Member {
  userId: string;
  email: string;
  accountId: string;
  role: Role;
  emailVerified: boolean;
  ip: string;
}

const COOKIE = 'kc_console';
const IDLE_SEC = 12 * 3600;
const ABSOLUTE_SEC = 7 * 24 * 3600;
const VERIFY_SEC = 24 * 3600;
const RESET_SEC = 3600;
const INVITE_SEC = 7 * 24 * 3600;

const MAY: Record<Exclude<Ability, 'self' | 'read'>, Role[]> = {
  keys: ['owner', 'developer'],
  billing: ['owner', 'billing'],
  team: ['owner'],
};

/** The value of one cookie in a Cookie header. */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const i = part.indexOf('=');
    if (i > 0 && part.slice(0, i).trim() === name) return part.slice(i + 1).trim();
  }
  return undefined;
}

/** A session cookie: HttpOnly, SameSite=Lax, Secure over TLS (docs/console.md#sessions-and-csrf). */
export function sessionCookie(name: string, value: string, maxAgeSec: number, secure: boolean): string {
  return `${name}=${value}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${maxAgeSec}${secure ? '; Secure' : ''}`;
}

export interface PeopleDeps {
  sql: Sql;
  mailer: Mailer;
  accounts: AccountsService;
  clients: ClientsService;
  /** Failed sign-ins per (e-mail, IP), and per IP (also sign-ups and reset requests). */
  pairThrottle: LoginThrottle;
  ipThrottle: LoginThrottle;
  signup: 'open' | 'invite' | 'off';
  /** PUBLIC_BASE_URL when set; links otherwise point at the origin the request came to. */
  linkBase?: string;
}

export class PeopleService {
  private readonly sessions = new WeakMap<ConsoleRequest, Promise<repo.SessionRow | null>>();

  constructor(private readonly d: PeopleDeps) {}

  audit(record: repo.AuditRecord): Promise<void> {
    return repo.insertAudit(this.d.sql, record);
  }

  private auditBy(m: Member, action: string, target: string | null, details: Record<string, unknown> = {}) {
    return this.audit({
      accountId: m.accountId,
      actorKind: 'user',
      actorId: m.userId,
      actor: m.email,
      action,
      target,
      details,
      ip: m.ip,
    });
  }

  private session(r: ConsoleRequest): Promise<repo.SessionRow | null> {
    let s = this.sessions.get(r);
    if (!s) {
      const token = cookieValue(r.cookie, COOKIE);
      s = token && token.length <= 100 ? repo.liveSession(this.d.sql, sha256(token), IDLE_SEC) : Promise.resolve(null);
      this.sessions.set(r, s);
    }
    return s;
  }

  private view(s: repo.SessionRow): SessionView {
    const idleEnd = new Date(s.last_seen_at.getTime() + IDLE_SEC * 1000);
    return {
      user: repo.memberView(s),
      accountId: s.account_id,
      accountName: s.account_name,
      csrfToken: s.csrf_token,
      expiresAt: idleEnd < s.expires_at ? idleEnd : s.expires_at,
    };
  }

  private refuseBearer(r: ConsoleRequest): void {
    if (r.bearer)
      throw new AppError(
        'forbidden',
        'Console operations need a console session; an API token cannot be used for them.',
      );
  }

  async currentSession(r: ConsoleRequest): Promise<SessionView | null> {
    this.refuseBearer(r);
    const s = await this.session(r);
    return s ? this.view(s) : null;
  }

  /** The signed-in person, allowed to do `need` (CSRF header checked for everything but reads). */
  async member(r: ConsoleRequest, need: Ability): Promise<Member> {
    this.refuseBearer(r);
    const s = await this.session(r);
    if (!s) throw new AppError('unauthenticated', 'Sign in to the console.');
    if (need !== 'read' && !sameSecret(r.csrf, s.csrf_token))
      throw new AppError('forbidden', 'Send the X-CSRF-Token header of your console session.');
    if (need !== 'read' && need !== 'self' && !MAY[need].includes(s.role))
      throw new AppError('forbidden', `Your role (${s.role}) may not do this.`);
    if (need === 'keys' && s.email_verified_at === null)
      throw new AppError('forbidden', 'Verify your e-mail address first.');
    return {
      userId: s.user_id,
      email: s.email,
      accountId: s.account_id,
      role: s.role,
      emailVerified: s.email_verified_at !== null,
      ip: r.ip,
    };
  }

  private link(r: ConsoleRequest, page: string, token: string): string {
    return `${this.d.linkBase ?? r.origin}/console/${page}?token=${token}`;
  }

  private async mail(to: string, subject: string, text: string, link: string): Promise<{ devLink: string | null }> {
    const { delivered } = await this.d.mailer.send({ to, subject, text });
    return { devLink: delivered ? null : link };
  }

  private async startSession(r: ConsoleRequest, userId: string): Promise<SessionView> {
    const token = newSecret();
    const hash = sha256(token);
    await repo.insertSession(this.d.sql, { hash, userId, csrf: newSecret(), ip: r.ip, absoluteSec: ABSOLUTE_SEC });
    r.setCookie(sessionCookie(COOKIE, token, ABSOLUTE_SEC, r.secure));
    const s = await repo.liveSession(this.d.sql, hash, IDLE_SEC);
    if (!s) throw new Error('session vanished right after it was made');
    this.sessions.set(r, Promise.resolve(s));
    return this.view(s);
  }

  private async verificationMail(r: ConsoleRequest, u: repo.UserRow): Promise<{ devLink: string | null }> {
    const token = newSecret();
    await repo.insertToken(this.d.sql, {
      hash: sha256(token),
      kind: 'verify',
      user_id: u.user_id,
      account_id: u.account_id,
      email: u.email,
      role: null,
      invitation_id: null,
      created_by: null,
      ttlSec: VERIFY_SEC,
    });
    const link = this.link(r, 'verify', token);
    return this.mail(
      u.email,
      'Verify your e-mail address',
      `Open this link within 24 hours to verify your address:\n\n${link}\n`,
      link,
    );
  }

  async signUp(
    r: ConsoleRequest,
    a: { email: string; password: string; accountName: string; name?: string | null },
  ): Promise<{ devLink: string | null }> {
    this.refuseBearer(r);
    if (this.d.signup !== 'open')
      throw new AppError(
        'forbidden',
        this.d.signup === 'invite' ? 'Sign-up is by invitation only.' : 'Sign-up is off.',
      );
    const email = normalEmail(a.email);
    assertPasswordAllowed(a.password);
    const accountName = a.accountName.trim();
    if (accountName.length < 1 || accountName.length > 200)
      throw new AppError('bad_request', 'accountName: 1 to 200 characters.');
    const name = a.name?.trim() || null;
    if (name && name.length > 200) throw new AppError('bad_request', 'name: at most 200 characters.');
    // Sign-ups count against the per-IP budget like failures: a bound on mail sent from one address.
    await this.d.ipThrottle.assertAllowed([`ip:${r.ip}`]);
    await this.d.ipThrottle.recordFailure([`ip:${r.ip}`]);
    if (await repo.userByEmail(this.d.sql, email)) {
      // The same answer either way, so sign-up does not tell who has an account; the holder is told by mail.
      const link = `${this.d.linkBase ?? r.origin}/console/sign-in`;
      return this.mail(
        email,
        'You already have an account',
        `Someone tried to sign up with this address. Sign in at ${link}\n`,
        link,
      );
    }
    const account = await this.d.accounts.createAccount({ name: accountName });
    await this.d.clients.createClient(account.accountId, { name: 'test', tier: 'free', mode: 'test' });
    await this.d.clients.createClient(account.accountId, { name: 'live', tier: 'free', mode: 'live' });
    let user: repo.UserRow;
    try {
      user = await repo.insertUser(this.d.sql, {
        user_id: `usr_${newUlid()}`,
        account_id: account.accountId,
        email,
        name,
        role: 'owner',
        password_hash: await hashPassword(a.password),
        verified: false,
      });
    } catch (e) {
      if ((e as { code?: string }).code === '23505')
        throw new AppError('conflict', 'This e-mail address signed up just now.');
      throw e;
    }
    await this.audit({
      accountId: account.accountId,
      actorKind: 'user',
      actorId: user.user_id,
      actor: email,
      action: 'account.sign_up',
      target: account.accountId,
      details: { account_name: accountName },
      ip: r.ip,
    });
    return this.verificationMail(r, user);
  }

  async verifyEmail(r: ConsoleRequest, token: string): Promise<SessionView> {
    this.refuseBearer(r);
    const t = token.length <= 100 ? await repo.consumeToken(this.d.sql, sha256(token), 'verify') : null;
    if (!t?.user_id) throw new AppError('bad_request', 'This verification link is invalid, used or expired.');
    await repo.markVerified(this.d.sql, t.user_id);
    await this.audit({
      accountId: t.account_id,
      actorKind: 'user',
      actorId: t.user_id,
      actor: t.email,
      action: 'user.verify_email',
      target: t.user_id,
      ip: r.ip,
    });
    return this.startSession(r, t.user_id);
  }

  async resendVerification(r: ConsoleRequest, m: Member): Promise<{ devLink: string | null }> {
    if (m.emailVerified) throw new AppError('conflict', 'Your e-mail address is already verified.');
    await this.d.ipThrottle.assertAllowed([`ip:${r.ip}`]);
    await this.d.ipThrottle.recordFailure([`ip:${r.ip}`]);
    const u = await repo.userInAccount(this.d.sql, m.accountId, m.userId);
    if (!u) throw new AppError('unauthenticated', 'Sign in to the console.');
    return this.verificationMail(r, u);
  }

  async signIn(r: ConsoleRequest, rawEmail: string, password: string): Promise<SessionView> {
    this.refuseBearer(r);
    const email = rawEmail.trim().toLowerCase().slice(0, 254);
    const pair = [`${email}|${r.ip}`];
    const ip = [`ip:${r.ip}`];
    await this.d.pairThrottle.assertAllowed(pair);
    await this.d.ipThrottle.assertAllowed(ip);
    const u = await repo.userByEmail(this.d.sql, email);
    const ok = await verifyPassword(password.slice(0, 200), u?.password_hash ?? null);
    if (!u || !ok) {
      await Promise.all([this.d.pairThrottle.recordFailure(pair), this.d.ipThrottle.recordFailure(ip)]);
      throw new AppError('invalid_credentials', 'Wrong e-mail address or password.');
    }
    const view = await this.startSession(r, u.user_id);
    await this.audit({
      accountId: u.account_id,
      actorKind: 'user',
      actorId: u.user_id,
      actor: u.email,
      action: 'user.sign_in',
      target: u.user_id,
      ip: r.ip,
    });
    return view;
  }

  async signOut(r: ConsoleRequest, m: Member): Promise<boolean> {
    const token = cookieValue(r.cookie, COOKIE);
    if (token) await repo.deleteSession(this.d.sql, sha256(token));
    r.setCookie(sessionCookie(COOKIE, '', 0, r.secure));
    await this.auditBy(m, 'user.sign_out', m.userId);
    return true;
  }

  async signOutEverywhere(r: ConsoleRequest, m: Member): Promise<boolean> {
    await repo.deleteSessionsOf(this.d.sql, m.userId);
    r.setCookie(sessionCookie(COOKIE, '', 0, r.secure));
    await this.auditBy(m, 'user.sign_out_everywhere', m.userId);
    return true;
  }

  async requestPasswordReset(r: ConsoleRequest, rawEmail: string): Promise<{ devLink: string | null }> {
    this.refuseBearer(r);
    const email = normalEmail(rawEmail);
    await this.d.ipThrottle.assertAllowed([`ip:${r.ip}`]);
    await this.d.ipThrottle.recordFailure([`ip:${r.ip}`]);
    const u = await repo.userByEmail(this.d.sql, email);
    if (!u) return { devLink: null };
    const token = newSecret();
    await repo.insertToken(this.d.sql, {
      hash: sha256(token),
      kind: 'reset',
      user_id: u.user_id,
      account_id: u.account_id,
      email,
      role: null,
      invitation_id: null,
      created_by: null,
      ttlSec: RESET_SEC,
    });
    await this.audit({
      accountId: u.account_id,
      actorKind: 'user',
      actorId: null,
      actor: null,
      action: 'user.password_reset_requested',
      target: u.user_id,
      ip: r.ip,
    });
    const link = this.link(r, 'reset-password', token);
    return this.mail(
      email,
      'Reset your password',
      `Open this link within 1 hour to choose a new password:\n\n${link}\n`,
      link,
    );
  }

  async resetPassword(r: ConsoleRequest, token: string, password: string): Promise<boolean> {
    this.refuseBearer(r);
    assertPasswordAllowed(password);
    const t = token.length <= 100 ? await repo.consumeToken(this.d.sql, sha256(token), 'reset') : null;
    if (!t?.user_id) throw new AppError('bad_request', 'This reset link is invalid, used or expired.');
    await repo.setPassword(this.d.sql, t.user_id, await hashPassword(password));
    // The link came by mail: the address is proven, and every other session ends.
    await repo.markVerified(this.d.sql, t.user_id);
    await repo.deleteSessionsOf(this.d.sql, t.user_id);
    await this.audit({
      accountId: t.account_id,
      actorKind: 'user',
      actorId: t.user_id,
      actor: t.email,
      action: 'user.password_reset',
      target: t.user_id,
      ip: r.ip,
    });
    return true;
  }

  async acceptInvitation(
    r: ConsoleRequest,
    a: { token: string; password: string; name?: string | null },
  ): Promise<SessionView> {
    this.refuseBearer(r);
    assertPasswordAllowed(a.password);
    const name = a.name?.trim() || null;
    if (name && name.length > 200) throw new AppError('bad_request', 'name: at most 200 characters.');
    const t = a.token.length <= 100 ? await repo.consumeToken(this.d.sql, sha256(a.token), 'invite') : null;
    if (!t?.account_id || !t.email || !t.role)
      throw new AppError('bad_request', 'This invitation is invalid, used, revoked or expired.');
    let user: repo.UserRow;
    try {
      user = await repo.insertUser(this.d.sql, {
        user_id: `usr_${newUlid()}`,
        account_id: t.account_id,
        email: t.email,
        name,
        role: t.role,
        password_hash: await hashPassword(a.password),
        verified: true,
      });
    } catch (e) {
      if ((e as { code?: string }).code === '23505')
        throw new AppError('conflict', 'This e-mail address already has a console login.');
      throw e;
    }
    await this.audit({
      accountId: t.account_id,
      actorKind: 'user',
      actorId: user.user_id,
      actor: user.email,
      action: 'team.join',
      target: user.user_id,
      details: { role: user.role, invitation_id: t.invitation_id },
      ip: r.ip,
    });
    return this.startSession(r, user.user_id);
  }

  async team(m: Member): Promise<MemberView[]> {
    return (await repo.teamOf(this.d.sql, m.accountId)).map(repo.memberView);
  }

  invitations(m: Member): Promise<InvitationView[]> {
    return repo.pendingInvitations(this.d.sql, m.accountId);
  }

  async invite(
    r: ConsoleRequest,
    m: Member,
    rawEmail: string,
    role: Role,
  ): Promise<{ invitation: InvitationView; devLink: string | null }> {
    const email = normalEmail(rawEmail);
    if (await repo.userByEmail(this.d.sql, email))
      throw new AppError('conflict', 'This e-mail address already has a console login.');
    await this.d.ipThrottle.assertAllowed([`ip:${r.ip}`]);
    await this.d.ipThrottle.recordFailure([`ip:${r.ip}`]);
    const token = newSecret();
    const row = await repo.insertToken(this.d.sql, {
      hash: sha256(token),
      kind: 'invite',
      user_id: null,
      account_id: m.accountId,
      email,
      role,
      invitation_id: `inv_${newUlid()}`,
      created_by: m.email,
      ttlSec: INVITE_SEC,
    });
    const invitation = repo.invitationView(row);
    await this.auditBy(m, 'team.invite', invitation.invitationId, { email, role });
    const link = this.link(r, 'accept-invitation', token);
    const sent = await this.mail(
      email,
      'You are invited to a Kosher Catalog account',
      `${m.email} invited you as ${role}. Open this link within 7 days to join:\n\n${link}\n`,
      link,
    );
    return { invitation, devLink: sent.devLink };
  }

  async revokeInvitation(_r: ConsoleRequest, m: Member, id: string): Promise<boolean> {
    if (!(await repo.revokeInvitation(this.d.sql, m.accountId, id.slice(0, 64))))
      throw new AppError('not_found', 'No pending invitation with that id.');
    await this.auditBy(m, 'team.revoke_invitation', id);
    return true;
  }

  private async otherMember(m: Member, userId: string): Promise<repo.UserRow> {
    const u = await repo.userInAccount(this.d.sql, m.accountId, userId.slice(0, 64));
    if (!u) throw new AppError('not_found', 'No person with that id in this account.');
    return u;
  }

  async setRole(_r: ConsoleRequest, m: Member, userId: string, role: Role): Promise<MemberView> {
    const u = await this.otherMember(m, userId);
    if (u.role === 'owner' && role !== 'owner' && (await repo.ownersOf(this.d.sql, m.accountId)) <= 1)
      throw new AppError('conflict', 'The last owner cannot step down; make another person owner first.');
    const updated = await repo.setUserRole(this.d.sql, u.user_id, role);
    await this.auditBy(m, 'team.set_role', u.user_id, { email: u.email, from: u.role, to: role });
    return repo.memberView(updated);
  }

  async removeMember(_r: ConsoleRequest, m: Member, userId: string): Promise<boolean> {
    const u = await this.otherMember(m, userId);
    if (u.role === 'owner' && (await repo.ownersOf(this.d.sql, m.accountId)) <= 1)
      throw new AppError('conflict', 'The last owner cannot be removed.');
    await repo.deleteUser(this.d.sql, u.user_id);
    await this.auditBy(m, 'team.remove', u.user_id, { email: u.email, role: u.role });
    return true;
  }

  async auditLog(m: Member, page: { first?: number | null; before?: string | null }): Promise<AuditPage> {
    return auditPageOf(this.d.sql, m.accountId, page);
  }
}

/** One page of an audit log (an account's, or with null every account's: operators). */
async function auditPageOf(
  sql: Sql,
  accountId: string | null,
  page: { first?: number | null; before?: string | null },
): Promise<AuditPage> {
  const first = page.first ?? 50;
  if (!Number.isInteger(first) || first < 1 || first > 200) throw new AppError('bad_request', 'first: 1 to 200.');
  if (page.before != null && !/^[0-9]{1,18}$/.test(page.before))
    throw new AppError('bad_request', 'before: the nextBefore of a page.');
  const entries = await repo.auditPage(sql, accountId, first, page.before == null ? null : BigInt(page.before));
  return { entries, nextBefore: entries.length === first ? entries[entries.length - 1].id : null };
}
