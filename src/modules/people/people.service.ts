// People of an account (docs/console.md): sign-up, verification, sign-in, sessions with CSRF, password reset,
// the team with roles and invitations, and the audit log every console action writes.
import { AppError } from '../../kernel/errors.ts';
import type { AuditPage, ConsoleRequest, InvitationView, MemberView, Role, SessionView } from './console.views.ts';

/** What a console field needs of the caller (docs/console.md#roles). */
export type Ability = 'self' | 'read' | 'keys' | 'billing' | 'team';

/** A signed-in person acting on their account. */
export interface Member {
  userId: string;
  email: string;
  accountId: string;
  role: Role;
  sessionId: string;
  emailVerified: boolean;
}

const notYet = (): never => {
  throw new AppError('service_unavailable', 'This console operation is not implemented yet.');
};

export class PeopleService {
  async currentSession(_r: ConsoleRequest): Promise<SessionView | null> {
    return notYet();
  }
  async member(_r: ConsoleRequest, _need: Ability): Promise<Member> {
    return notYet();
  }
  async signUp(
    _r: ConsoleRequest,
    _a: { email: string; password: string; accountName: string; name?: string | null },
  ): Promise<{ devLink: string | null }> {
    return notYet();
  }
  async verifyEmail(_r: ConsoleRequest, _token: string): Promise<SessionView> {
    return notYet();
  }
  async resendVerification(_r: ConsoleRequest, _m: Member): Promise<{ devLink: string | null }> {
    return notYet();
  }
  async signIn(_r: ConsoleRequest, _email: string, _password: string): Promise<SessionView> {
    return notYet();
  }
  async signOut(_r: ConsoleRequest, _m: Member): Promise<boolean> {
    return notYet();
  }
  async signOutEverywhere(_r: ConsoleRequest, _m: Member): Promise<boolean> {
    return notYet();
  }
  async requestPasswordReset(_r: ConsoleRequest, _email: string): Promise<{ devLink: string | null }> {
    return notYet();
  }
  async resetPassword(_r: ConsoleRequest, _token: string, _password: string): Promise<boolean> {
    return notYet();
  }
  async acceptInvitation(
    _r: ConsoleRequest,
    _a: { token: string; password: string; name?: string | null },
  ): Promise<SessionView> {
    return notYet();
  }
  async team(_m: Member): Promise<MemberView[]> {
    return notYet();
  }
  async invitations(_m: Member): Promise<InvitationView[]> {
    return notYet();
  }
  async invite(
    _r: ConsoleRequest,
    _m: Member,
    _email: string,
    _role: Role,
  ): Promise<{ invitation: InvitationView; devLink: string | null }> {
    return notYet();
  }
  async revokeInvitation(_r: ConsoleRequest, _m: Member, _id: string): Promise<boolean> {
    return notYet();
  }
  async setRole(_r: ConsoleRequest, _m: Member, _userId: string, _role: Role): Promise<MemberView> {
    return notYet();
  }
  async removeMember(_r: ConsoleRequest, _m: Member, _userId: string): Promise<boolean> {
    return notYet();
  }
  async audit(_m: Member, _page: { first?: number | null; before?: string | null }): Promise<AuditPage> {
    return notYet();
  }
}
