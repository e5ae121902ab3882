// The pages before a session: sign-in, sign-up, e-mail verification, password reset and accepting an invitation.
// The links in our mails open /console/verify, /console/reset-password and /console/accept-invitation with
// `?token=` (docs/console.md#passwords).
import { useEffect, useState } from 'preact/hooks';
import { gql } from '../api.ts';
import { graphql } from '../gql/index.ts';
import { navigate } from '../router.ts';
import type { Session } from '../session.ts';
import { ErrorNote, Field, formValues, Notice, useAction } from '../ui.tsx';

const SignIn = graphql(`
  mutation ConsoleSignIn($email: String!, $password: String!) {
    consoleSignIn(email: $email, password: $password) {
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

const SignUp = graphql(`
  mutation ConsoleSignUp($email: String!, $password: String!, $accountName: String!, $name: String) {
    consoleSignUp(email: $email, password: $password, accountName: $accountName, name: $name) {
      devLink
    }
  }
`);

const Verify = graphql(`
  mutation ConsoleVerifyEmail($token: String!) {
    consoleVerifyEmail(token: $token) {
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

const RequestReset = graphql(`
  mutation ConsoleRequestPasswordReset($email: String!) {
    consoleRequestPasswordReset(email: $email) {
      devLink
    }
  }
`);

const Reset = graphql(`
  mutation ConsoleResetPassword($token: String!, $password: String!) {
    consoleResetPassword(token: $token, password: $password)
  }
`);

const Accept = graphql(`
  mutation ConsoleAcceptInvitation($token: String!, $password: String!, $name: String) {
    consoleAcceptInvitation(token: $token, password: $password, name: $name) {
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

type OnSession = (s: Session) => void;

/** Development only: the server wrote the mail to its log instead of sending it, and hands the link back. */
export function DevLink({ link }: { link: string | null | undefined }) {
  if (!link) return null;
  return (
    <p class="dev-banner" role="status">
      Development mode: no mail server is configured, so here is the link the mail would carry:{' '}
      <a href={link}>{link}</a>
    </p>
  );
}

export function SignInPage({ onSession }: { onSession: OnSession }) {
  const { busy, error, act } = useAction(async (v: Record<string, string>) => {
    const d = await gql(SignIn, { email: v.email, password: v.password });
    onSession(d.consoleSignIn);
  });
  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title">Sign in</h1>
      <form class="stack narrow" onSubmit={(e) => act(formValues(e))}>
        <Field label="E-mail" name="email" type="email" required autocomplete="username" />
        <Field label="Password" name="password" type="password" required autocomplete="current-password" />
        <ErrorNote error={error} />
        <button type="submit" disabled={busy}>
          Sign in
        </button>
      </form>
      <p>
        New here? <a href="/console/signup">Create an account</a> (free credits to start). ·{' '}
        <a href="/console/forgot">Forgot your password?</a>
      </p>
    </section>
  );
}

export function SignUpPage() {
  const [sent, setSent] = useState<{ email: string; devLink: string | null } | null>(null);
  const { busy, error, act } = useAction(async (v: Record<string, string>) => {
    const d = await gql(SignUp, {
      email: v.email,
      password: v.password,
      accountName: v.accountName,
      name: v.name || null,
    });
    setSent({ email: v.email, devLink: d.consoleSignUp.devLink ?? null });
  });
  if (sent)
    return (
      <section aria-labelledby="page-title">
        <h1 id="page-title">Check your e-mail</h1>
        <Notice>
          We sent a verification link to {sent.email}. It is valid for 24 hours; open it to sign in and create your
          first key.
        </Notice>
        <DevLink link={sent.devLink} />
      </section>
    );
  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title">Create an account</h1>
      <form class="stack narrow" onSubmit={(e) => act(formValues(e))}>
        <Field
          label="Company or account name"
          name="accountName"
          required
          autocomplete="organization"
          maxLength={200}
        />
        <Field label="Your name" name="name" autocomplete="name" maxLength={200} />
        <Field label="E-mail" name="email" type="email" required autocomplete="email" maxLength={254} />
        <Field
          label="Password"
          name="password"
          type="password"
          required
          autocomplete="new-password"
          maxLength={200}
          hint="At least 12 characters, and not a common password."
        />
        <ErrorNote error={error} />
        <button type="submit" disabled={busy}>
          Create account
        </button>
      </form>
      <p>
        Already have an account? <a href="/console">Sign in</a>
      </p>
    </section>
  );
}

export function VerifyPage({ token, onSession }: { token: string; onSession: OnSession }) {
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (!token) return setError('This link has no token. Open the link from the e-mail again.');
    gql(Verify, { token }).then(
      (d) => {
        onSession(d.consoleVerifyEmail);
        navigate('/console/clients?welcome=1', true);
      },
      (e: Error) => setError(e.message),
    );
  }, [token, onSession]);
  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title">Verifying your e-mail</h1>
      {error ? (
        <>
          <ErrorNote error={error} />
          <p>
            <a href="/console">Sign in</a> to send a new link.
          </p>
        </>
      ) : (
        <p aria-busy="true">One moment…</p>
      )}
    </section>
  );
}

export function ForgotPage() {
  const [sent, setSent] = useState<{ devLink: string | null } | null>(null);
  const { busy, error, act } = useAction(async (v: Record<string, string>) => {
    const d = await gql(RequestReset, { email: v.email });
    setSent({ devLink: d.consoleRequestPasswordReset.devLink ?? null });
  });
  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title">Reset your password</h1>
      {sent ? (
        <>
          <Notice>If an account uses that address, a reset link (valid for one hour) is on its way.</Notice>
          <DevLink link={sent.devLink} />
        </>
      ) : (
        <form class="stack narrow" onSubmit={(e) => act(formValues(e))}>
          <Field label="E-mail" name="email" type="email" required autocomplete="email" maxLength={254} />
          <ErrorNote error={error} />
          <button type="submit" disabled={busy}>
            Send reset link
          </button>
        </form>
      )}
    </section>
  );
}

export function ResetPage({ token }: { token: string }) {
  const [done, setDone] = useState(false);
  const { busy, error, act } = useAction(async (v: Record<string, string>) => {
    await gql(Reset, { token, password: v.password });
    setDone(true);
  });
  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title">Choose a new password</h1>
      {done ? (
        <Notice>
          Your password is changed and every session ended. <a href="/console">Sign in</a> with the new one.
        </Notice>
      ) : (
        <form class="stack narrow" onSubmit={(e) => act(formValues(e))}>
          <Field
            label="New password"
            name="password"
            type="password"
            required
            autocomplete="new-password"
            maxLength={200}
            hint="At least 12 characters, and not a common password."
          />
          <ErrorNote error={error} />
          <button type="submit" disabled={busy || !token}>
            Set password
          </button>
        </form>
      )}
    </section>
  );
}

export function AcceptInvitationPage({ token, onSession }: { token: string; onSession: OnSession }) {
  const { busy, error, act } = useAction(async (v: Record<string, string>) => {
    const d = await gql(Accept, { token, password: v.password, name: v.name || null });
    onSession(d.consoleAcceptInvitation);
    navigate('/console', true);
  });
  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title">Join the team</h1>
      <form class="stack narrow" onSubmit={(e) => act(formValues(e))}>
        <Field label="Your name" name="name" autocomplete="name" maxLength={200} />
        <Field
          label="Choose a password"
          name="password"
          type="password"
          required
          autocomplete="new-password"
          maxLength={200}
          hint="At least 12 characters, and not a common password."
        />
        <ErrorNote error={error} />
        <button type="submit" disabled={busy || !token}>
          Join
        </button>
      </form>
    </section>
  );
}
