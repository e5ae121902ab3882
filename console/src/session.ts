// The person's console session: read once on load (the cookie is HttpOnly; the CSRF token comes with the
// session and stays in memory), replaced by whatever a sign-in mutation returns.
import { setCsrfToken } from './api.ts';
import type { ConsoleRole } from './gql/graphql.ts';
import { graphql } from './gql/index.ts';

export const SessionQuery = graphql(`
  query ConsoleSessionQuery {
    consoleSession {
      accountId
      accountName
      csrfToken
      role
      expiresAt
      user {
        userId
        email
        name
        emailVerified
      }
    }
  }
`);

export interface Session {
  accountId: string;
  accountName: string;
  csrfToken: string;
  role: ConsoleRole;
  user: { email: string; name?: string | null; emailVerified: boolean };
}

export function adopt(session: Session | null): Session | null {
  setCsrfToken(session?.csrfToken ?? null);
  return session;
}

/** What each role may change (docs/console.md#roles); the server checks again, the UI only hides. */
export const can = {
  keys: (r: ConsoleRole) => r === 'OWNER' || r === 'DEVELOPER',
  webhooks: (r: ConsoleRole) => r === 'OWNER' || r === 'DEVELOPER',
  topUps: (r: ConsoleRole) => r === 'OWNER' || r === 'BILLING',
  team: (r: ConsoleRole) => r === 'OWNER',
};
