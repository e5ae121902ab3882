// The customer console: the session first (read once on load), then either the pages before a session (sign-in,
// sign-up, links from our mails) or the account's pages with the navigation.
import { useCallback, useEffect, useState } from 'preact/hooks';
import { gql } from './api.ts';
import { graphql } from './gql/index.ts';
import { AuditPage } from './pages/audit.tsx';
import {
  AcceptInvitationPage,
  DevLink,
  ForgotPage,
  ResetPage,
  SignInPage,
  SignUpPage,
  VerifyPage,
} from './pages/auth-pages.tsx';
import { ClientsPage } from './pages/clients.tsx';
import { LedgerPage } from './pages/ledger.tsx';
import { OverviewPage } from './pages/overview.tsx';
import { TeamPage } from './pages/team.tsx';
import { TopUpsPage } from './pages/topups.tsx';
import { UsagePage } from './pages/usage.tsx';
import { WebhooksPage } from './pages/webhooks.tsx';
import { navigate, useLocation } from './router.ts';
import { adopt, type Session, SessionQuery } from './session.ts';
import { ErrorNote, Unavailable, useAction } from './ui.tsx';

const SignOut = graphql(`
  mutation ConsoleSignOut {
    consoleSignOut
  }
`);

const Resend = graphql(`
  mutation ConsoleResendVerification {
    consoleResendVerification {
      devLink
    }
  }
`);

const PAGES: [string, string][] = [
  ['/console', 'Overview'],
  ['/console/clients', 'API clients'],
  ['/console/usage', 'Usage'],
  ['/console/ledger', 'Ledger'],
  ['/console/topups', 'Top-ups'],
  ['/console/webhooks', 'Webhooks'],
  ['/console/team', 'Team'],
  ['/console/audit', 'Audit log'],
];

export function CustomerApp({ path }: { path: string }) {
  const { query } = useLocation();
  const [session, setSession] = useState<Session | null | undefined>(undefined);
  const [loadError, setLoadError] = useState<string | null>(null);
  const onSession = useCallback((s: Session | null) => setSession(adopt(s)), []);
  // The pages of a mailed link sign the person in themselves: reading the session there would race with them
  // (an answer from before the cookie was set would sign the person out again).
  const linkPage = path === '/console/verify' || path === '/console/accept-invitation';
  const known = session !== undefined;
  useEffect(() => {
    if (known || linkPage) return;
    let live = true;
    gql(SessionQuery).then(
      (d) => live && onSession(d.consoleSession ?? null),
      (e: Error) => live && setLoadError(e.message),
    );
    return () => {
      live = false;
    };
  }, [known, linkPage, onSession]);

  const token = query.get('token') ?? '';
  let body: preact.ComponentChildren;
  if (path === '/console/verify') body = <VerifyPage token={token} onSession={onSession} />;
  else if (path === '/console/reset-password') body = <ResetPage token={token} />;
  else if (path === '/console/accept-invitation') body = <AcceptInvitationPage token={token} onSession={onSession} />;
  else if (path === '/console/signup') body = session ? redirect('/console') : <SignUpPage />;
  else if (path === '/console/forgot') body = <ForgotPage />;
  else if (loadError) body = <Unavailable error={loadError} />;
  else if (session === undefined) body = <p aria-busy="true">Loading…</p>;
  else if (!session) body = <SignInPage onSession={onSession} />;
  else if (path === '/console/sign-in') body = redirect('/console');
  else body = <AccountPage path={path} session={session} />;

  return (
    <>
      <header class="top">
        <a class="brand" href="/console">
          Kosher catalog console
        </a>
        {session ? <Who session={session} onSignedOut={() => onSession(null)} /> : null}
      </header>
      {session ? (
        <nav class="main" aria-label="Console">
          <ul>
            {PAGES.map(([href, label]) => (
              <li key={href}>
                <a href={href} aria-current={href === path ? 'page' : undefined}>
                  {label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
      ) : null}
      <main id="main">
        {session && !session.user.emailVerified ? <Unverified /> : null}
        {body}
      </main>
    </>
  );
}

function redirect(to: string) {
  queueMicrotask(() => navigate(to, true));
  return null;
}

function Who({ session, onSignedOut }: { session: Session; onSignedOut: () => void }) {
  const { busy, act } = useAction(async () => {
    await gql(SignOut);
    onSignedOut();
    navigate('/console', true);
  });
  return (
    <>
      <span class="who">
        {session.user.email} · {session.accountName} · {session.role.toLowerCase()}
      </span>
      <button type="button" onClick={() => act()} disabled={busy}>
        Sign out
      </button>
    </>
  );
}

function Unverified() {
  const [devLink, setDevLink] = useState<string | null | undefined>(undefined);
  const { busy, error, act } = useAction(async () => {
    setDevLink((await gql(Resend)).consoleResendVerification.devLink ?? null);
  });
  return (
    <div class="dev-banner" role="status">
      Verify your e-mail address to create keys: open the link we sent.{' '}
      <button type="button" class="secondary" onClick={() => act()} disabled={busy}>
        Send a new link
      </button>
      {devLink === null ? ' Sent.' : null}
      <ErrorNote error={error} />
      <DevLink link={devLink} />
    </div>
  );
}

function AccountPage({ path, session }: { path: string; session: Session }) {
  switch (path) {
    case '/console':
      return <OverviewPage />;
    case '/console/clients':
      return <ClientsPage session={session} />;
    case '/console/usage':
      return <UsagePage />;
    case '/console/ledger':
      return <LedgerPage />;
    case '/console/topups':
      return <TopUpsPage session={session} />;
    case '/console/webhooks':
      return <WebhooksPage session={session} />;
    case '/console/team':
      return <TeamPage session={session} />;
    case '/console/audit':
      return <AuditPage />;
    default:
      return (
        <section aria-labelledby="page-title">
          <h1 id="page-title">Page not found</h1>
          <p>
            <a href="/console">Back to the overview</a>
          </p>
        </section>
      );
  }
}
