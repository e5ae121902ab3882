// The team: the people of the account and their roles, pending invitations; the owner invites by e-mail with a
// role, changes roles and removes people. Other roles read.
import { useState } from 'preact/hooks';
import { gql } from '../api.ts';
import type { ConsoleRole } from '../gql/graphql.ts';
import { graphql } from '../gql/index.ts';
import { can, type Session } from '../session.ts';
import { ErrorNote, Field, formValues, Notice, Section, Select, Table, useAction, useLoad, when } from '../ui.tsx';
import { DevLink } from './auth-pages.tsx';

const Team = graphql(`
  query ConsoleTeam {
    consoleTeam {
      userId
      email
      name
      role
      emailVerified
      createdAt
    }
    consoleInvitations {
      invitationId
      email
      role
      invitedBy
      expiresAt
    }
  }
`);

const Invite = graphql(`
  mutation ConsoleInvite($email: String!, $role: ConsoleRole!) {
    consoleInvite(email: $email, role: $role) {
      devLink
      invitation {
        invitationId
        email
      }
    }
  }
`);

const RevokeInvitation = graphql(`
  mutation ConsoleRevokeInvitation($invitationId: ID!) {
    consoleRevokeInvitation(invitationId: $invitationId)
  }
`);

const SetRole = graphql(`
  mutation ConsoleSetMemberRole($userId: ID!, $role: ConsoleRole!) {
    consoleSetMemberRole(userId: $userId, role: $role) {
      userId
      role
    }
  }
`);

const Remove = graphql(`
  mutation ConsoleRemoveMember($userId: ID!) {
    consoleRemoveMember(userId: $userId)
  }
`);

const ROLES: [string, string][] = [
  ['VIEWER', 'viewer (reads)'],
  ['DEVELOPER', 'developer (keys, webhooks)'],
  ['BILLING', 'billing (usage, top-ups)'],
  ['OWNER', 'owner (everything)'],
];

export function TeamPage({ session }: { session: Session }) {
  const loaded = useLoad(() => gql(Team));
  const owner = can.team(session.role);
  const [invited, setInvited] = useState<{ email: string; devLink: string | null } | null>(null);
  const invite = useAction(async (v: Record<string, string>) => {
    const d = (await gql(Invite, { email: v.email, role: v.role as ConsoleRole })).consoleInvite;
    setInvited({ email: d.invitation.email, devLink: d.devLink ?? null });
    loaded.reload();
  });
  const act = useAction(async (what: 'role' | 'remove' | 'revoke', id: string, role?: string) => {
    if (what === 'role') await gql(SetRole, { userId: id, role: role as ConsoleRole });
    else if (what === 'remove') await gql(Remove, { userId: id });
    else await gql(RevokeInvitation, { invitationId: id });
    loaded.reload();
  });
  return (
    <Section title="Team" loaded={loaded}>
      {(d) => (
        <>
          <Table
            caption="People of this account"
            head={['E-mail', 'Name', 'Role', 'Verified', 'Since', ...(owner ? ['Actions'] : [])]}
            rows={d.consoleTeam.map((m) => [
              m.email,
              m.name ?? '—',
              m.role.toLowerCase(),
              m.emailVerified ? 'yes' : 'no',
              when(m.createdAt),
              ...(owner
                ? [
                    <form
                      key="r"
                      class="actions"
                      onSubmit={(e) => act.act('role', m.userId, formValues(e).role)}
                      aria-label={`Role of ${m.email}`}
                    >
                      <label class="skip" for={`role-${m.userId}`}>
                        Role of {m.email}
                      </label>
                      <select id={`role-${m.userId}`} name="role" value={m.role}>
                        {ROLES.map(([v, t]) => (
                          <option key={v} value={v}>
                            {t}
                          </option>
                        ))}
                      </select>
                      <button type="submit" class="secondary" disabled={act.busy}>
                        Set role
                      </button>
                      <button
                        type="button"
                        class="danger"
                        onClick={() => act.act('remove', m.userId)}
                        disabled={act.busy}
                      >
                        Remove<span class="skip"> {m.email}</span>
                      </button>
                    </form>,
                  ]
                : []),
            ])}
          />
          <ErrorNote error={act.error} />
          <h2>Pending invitations</h2>
          <Table
            caption="Invitations not yet accepted"
            head={['E-mail', 'Role', 'Invited by', 'Expires', ...(owner ? [''] : [])]}
            rows={d.consoleInvitations.map((i) => [
              i.email,
              i.role.toLowerCase(),
              i.invitedBy ?? '—',
              when(i.expiresAt),
              ...(owner
                ? [
                    <button
                      key="x"
                      type="button"
                      class="secondary"
                      onClick={() => act.act('revoke', i.invitationId)}
                      disabled={act.busy}
                    >
                      Revoke<span class="skip"> the invitation of {i.email}</span>
                    </button>,
                  ]
                : []),
            ])}
            empty="No pending invitations."
          />
          {owner ? (
            <form class="stack" onSubmit={(e) => invite.act(formValues(e))} aria-labelledby="invite-title">
              <h2 id="invite-title">Invite someone</h2>
              <div class="row">
                <Field label="E-mail" name="email" type="email" required maxLength={254} />
                <Select label="Role" name="role" options={ROLES} />
              </div>
              <ErrorNote error={invite.error} />
              <button type="submit" disabled={invite.busy}>
                Send invitation
              </button>
              {invited ? <Notice>Invitation sent to {invited.email}.</Notice> : null}
              <DevLink link={invited?.devLink} />
            </form>
          ) : (
            <p class="muted">Only an owner can invite people and change roles.</p>
          )}
        </>
      )}
    </Section>
  );
}
