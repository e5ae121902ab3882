// The console's people fields (docs/console.md#operations): sign-up, e-mail verification, sign-in and out,
// password reset, the session (with its CSRF token), the team and its invitations, and the audit log. Every
// field is free and refuses a bearer API token; mutations on a session also need the CSRF header
// (docs/console.md#sessions-and-csrf). The session cookie is set through the console cookie plugin.
import type { Builder } from '../../platform/graphql/builder.ts';
import { free } from '../../platform/graphql/field-access.ts';
import type { AuditPage, AuditView, InvitationView, MemberView, Role, SessionView } from './console.views.ts';
import { consoleRequest } from './console-request.ts';
import type { PeopleService } from './people.service.ts';

declare module '../../platform/graphql/context.ts' {
  interface GraphQLServices {
    people: PeopleService;
  }
}

export function peopleGraphql(builder: Builder) {
  const RoleEnum = builder.enumType('ConsoleRole', {
    description: 'What a person may do in an account (docs/console.md#roles).',
    values: {
      OWNER: { value: 'owner', description: 'Everything, including the team.' },
      DEVELOPER: { value: 'developer', description: 'API clients and keys, webhooks, test mode; reads the rest.' },
      BILLING: { value: 'billing', description: 'Usage, ledger and top-ups; reads the rest.' },
      VIEWER: { value: 'viewer', description: 'Reads everything, changes nothing.' },
    } as const,
  });

  const MemberType = builder.objectRef<MemberView>('ConsoleMember').implement({
    description: 'A person of the account (not an API client).',
    fields: (t) => ({
      userId: t.exposeID('userId'),
      email: t.exposeString('email'),
      name: t.string({ nullable: true, resolve: (m) => m.name }),
      role: t.field({ type: RoleEnum, resolve: (m) => m.role }),
      emailVerified: t.exposeBoolean('emailVerified'),
      createdAt: t.field({ type: 'DateTime', resolve: (m) => m.createdAt }),
    }),
  });

  const SessionType = builder.objectRef<SessionView>('ConsoleSession').implement({
    description: 'The signed-in person. Send `csrfToken` as the X-CSRF-Token header with every console mutation.',
    fields: (t) => ({
      user: t.field({ type: MemberType, resolve: (s) => s.user }),
      accountId: t.exposeID('accountId'),
      accountName: t.exposeString('accountName'),
      role: t.field({ type: RoleEnum, resolve: (s) => s.user.role }),
      csrfToken: t.exposeString('csrfToken'),
      expiresAt: t.field({
        type: 'DateTime',
        description: 'When the session ends unless used (12 h idle, at most 7 days from sign-in).',
        resolve: (s) => s.expiresAt,
      }),
    }),
  });

  const MailSentType = builder.objectRef<{ devLink: string | null }>('ConsoleMailSent').implement({
    description: 'A mail was sent (or, for privacy, would have been sent).',
    fields: (t) => ({
      devLink: t.string({
        nullable: true,
        description:
          'Development only (no SMTP_URL, not production): the link the mail carries, for the console banner. Always null in production.',
        resolve: (r) => r.devLink,
      }),
    }),
  });

  const InvitationType = builder.objectRef<InvitationView>('ConsoleInvitation').implement({
    fields: (t) => ({
      invitationId: t.exposeID('invitationId'),
      email: t.exposeString('email'),
      role: t.field({ type: RoleEnum, resolve: (i) => i.role }),
      invitedBy: t.string({ nullable: true, resolve: (i) => i.invitedBy }),
      createdAt: t.field({ type: 'DateTime', resolve: (i) => i.createdAt }),
      expiresAt: t.field({ type: 'DateTime', resolve: (i) => i.expiresAt }),
    }),
  });

  const InvitedType = builder
    .objectRef<{ invitation: InvitationView; devLink: string | null }>('ConsoleInvited')
    .implement({
      fields: (t) => ({
        invitation: t.field({ type: InvitationType, resolve: (r) => r.invitation }),
        devLink: t.string({
          nullable: true,
          description: 'Development only; see ConsoleMailSent.',
          resolve: (r) => r.devLink,
        }),
      }),
    });

  const ActorKindEnum = builder.enumType('ConsoleActorKind', {
    values: { USER: { value: 'user' }, OPERATOR: { value: 'operator' }, SYSTEM: { value: 'system' } } as const,
  });

  const AuditType = builder.objectRef<AuditView>('ConsoleAuditEntry').implement({
    description: 'One action on the account: who, what, when, from which IP.',
    fields: (t) => ({
      id: t.exposeID('id'),
      at: t.field({ type: 'DateTime', resolve: (a) => a.at }),
      actorKind: t.field({ type: ActorKindEnum, resolve: (a) => a.actorKind }),
      actor: t.string({
        nullable: true,
        description: 'The e-mail of the person or operator.',
        resolve: (a) => a.actor,
      }),
      action: t.exposeString('action', { description: 'e.g. client.create, team.invite, topup.confirm.' }),
      target: t.string({ nullable: true, description: 'The id the action was on.', resolve: (a) => a.target }),
      details: t.exposeString('details', { description: 'A JSON object of the action’s inputs (never secrets).' }),
      ip: t.string({ nullable: true, resolve: (a) => a.ip }),
    }),
  });

  const AuditPageType = builder.objectRef<AuditPage>('ConsoleAuditPage').implement({
    fields: (t) => ({
      entries: t.field({ type: [AuditType], resolve: (p) => p.entries }),
      nextBefore: t.string({
        nullable: true,
        description: 'Pass as `before` for older entries.',
        resolve: (p) => p.nextBefore,
      }),
    }),
  });

  builder.queryFields((t) => ({
    consoleSession: t.field({
      extensions: free({ token: false }),
      type: SessionType,
      nullable: true,
      description: 'The signed-in person of the console session cookie, or null.',
      resolve: (_r, _a, c) => c.services.people.currentSession(consoleRequest(c)),
    }),
    consoleTeam: t.field({
      extensions: free({ token: false }),
      type: [MemberType],
      description: 'The people of the account (any role).',
      resolve: async (_r, _a, c) => c.services.people.team(await c.services.people.member(consoleRequest(c), 'read')),
    }),
    consoleInvitations: t.field({
      extensions: free({ token: false }),
      type: [InvitationType],
      description: 'Pending invitations (any role).',
      resolve: async (_r, _a, c) =>
        c.services.people.invitations(await c.services.people.member(consoleRequest(c), 'read')),
    }),
    consoleAuditLog: t.field({
      extensions: free({ token: false }),
      type: AuditPageType,
      description: 'The account audit log, newest first (any role).',
      args: {
        first: t.arg.int({ required: false, description: '1 to 200, default 50.' }),
        before: t.arg.string({ required: false, description: 'nextBefore of the previous page.' }),
      },
      resolve: async (_r, a, c) =>
        c.services.people.auditLog(await c.services.people.member(consoleRequest(c), 'read'), {
          first: a.first,
          before: a.before,
        }),
    }),
  }));

  builder.mutationFields((t) => ({
    consoleSignUp: t.field({
      extensions: free({ token: false }),
      type: MailSentType,
      description:
        'Creates an account and its owner (SIGNUP=open) and e-mails a verification link (24 h, single use). Password: at least 12 characters, not a common one.',
      args: {
        email: t.arg.string({ required: true }),
        password: t.arg.string({ required: true }),
        accountName: t.arg.string({ required: true }),
        name: t.arg.string({ required: false }),
      },
      resolve: (_r, a, c) => c.services.people.signUp(consoleRequest(c), a),
    }),
    consoleVerifyEmail: t.field({
      extensions: free({ token: false }),
      type: SessionType,
      description: 'Redeems the verification link’s token and signs the person in (sets the session cookie).',
      args: { token: t.arg.string({ required: true }) },
      resolve: (_r, a, c) => c.services.people.verifyEmail(consoleRequest(c), a.token),
    }),
    consoleResendVerification: t.field({
      extensions: free({ token: false }),
      type: MailSentType,
      description: 'Sends a new verification link to the signed-in person.',
      resolve: async (_r, _a, c) =>
        c.services.people.resendVerification(
          consoleRequest(c),
          await c.services.people.member(consoleRequest(c), 'self'),
        ),
    }),
    consoleSignIn: t.field({
      extensions: free({ token: false }),
      type: SessionType,
      description:
        'Signs in with e-mail and password (sets the session cookie). Failures are throttled per e-mail and IP.',
      args: { email: t.arg.string({ required: true }), password: t.arg.string({ required: true }) },
      resolve: (_r, a, c) => c.services.people.signIn(consoleRequest(c), a.email, a.password),
    }),
    consoleSignOut: t.field({
      extensions: free({ token: false }),
      type: 'Boolean',
      description: 'Ends this session.',
      resolve: async (_r, _a, c) =>
        c.services.people.signOut(consoleRequest(c), await c.services.people.member(consoleRequest(c), 'self')),
    }),
    consoleSignOutEverywhere: t.field({
      extensions: free({ token: false }),
      type: 'Boolean',
      description: 'Ends every session of the signed-in person, this one included.',
      resolve: async (_r, _a, c) =>
        c.services.people.signOutEverywhere(
          consoleRequest(c),
          await c.services.people.member(consoleRequest(c), 'self'),
        ),
    }),
    consoleRequestPasswordReset: t.field({
      extensions: free({ token: false }),
      type: MailSentType,
      description:
        'E-mails a reset link (1 h, single use) when the address has an account; answers the same either way.',
      args: { email: t.arg.string({ required: true }) },
      resolve: (_r, a, c) => c.services.people.requestPasswordReset(consoleRequest(c), a.email),
    }),
    consoleResetPassword: t.field({
      extensions: free({ token: false }),
      type: 'Boolean',
      description: 'Sets a new password with a reset token; ends every session of the person.',
      args: { token: t.arg.string({ required: true }), password: t.arg.string({ required: true }) },
      resolve: (_r, a, c) => c.services.people.resetPassword(consoleRequest(c), a.token, a.password),
    }),
    consoleAcceptInvitation: t.field({
      extensions: free({ token: false }),
      type: SessionType,
      description: 'Joins the inviting account with the invited role, choosing a password (signs in).',
      args: {
        token: t.arg.string({ required: true }),
        password: t.arg.string({ required: true }),
        name: t.arg.string({ required: false }),
      },
      resolve: (_r, a, c) => c.services.people.acceptInvitation(consoleRequest(c), a),
    }),
    consoleInvite: t.field({
      extensions: free({ token: false }),
      type: InvitedType,
      description: 'Invites a person by e-mail with a role (owner only; link valid 7 days).',
      args: { email: t.arg.string({ required: true }), role: t.arg({ type: RoleEnum, required: true }) },
      resolve: async (_r, a, c) =>
        c.services.people.invite(
          consoleRequest(c),
          await c.services.people.member(consoleRequest(c), 'team'),
          a.email,
          a.role as Role,
        ),
    }),
    consoleRevokeInvitation: t.field({
      extensions: free({ token: false }),
      type: 'Boolean',
      args: { invitationId: t.arg.id({ required: true }) },
      resolve: async (_r, a, c) =>
        c.services.people.revokeInvitation(
          consoleRequest(c),
          await c.services.people.member(consoleRequest(c), 'team'),
          String(a.invitationId),
        ),
    }),
    consoleSetMemberRole: t.field({
      extensions: free({ token: false }),
      type: MemberType,
      description: 'Changes a person’s role (owner only; the last owner cannot step down).',
      args: { userId: t.arg.id({ required: true }), role: t.arg({ type: RoleEnum, required: true }) },
      resolve: async (_r, a, c) =>
        c.services.people.setRole(
          consoleRequest(c),
          await c.services.people.member(consoleRequest(c), 'team'),
          String(a.userId),
          a.role as Role,
        ),
    }),
    consoleRemoveMember: t.field({
      extensions: free({ token: false }),
      type: 'Boolean',
      description: 'Removes a person from the account and ends their sessions (owner only).',
      args: { userId: t.arg.id({ required: true }) },
      resolve: async (_r, a, c) =>
        c.services.people.removeMember(
          consoleRequest(c),
          await c.services.people.member(consoleRequest(c), 'team'),
          String(a.userId),
        ),
    }),
  }));

  return { RoleEnum };
}
