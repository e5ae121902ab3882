// The operator console at /console/admin: sign-in with password and TOTP, then accounts (find, grant credits),
// top-ups to confirm, pricing and packages, product data and images, image trace and leak identification, webhook health.
import { useCallback, useEffect, useState } from 'preact/hooks';
import { gql, setCsrfToken } from '../api.ts';
import { graphql } from '../gql/index.ts';
import { navigate } from '../router.ts';
import { ErrorNote, Field, formValues, Unavailable, useAction } from '../ui.tsx';
import { AccountsPage, WebhookHealthPage } from './accounts.tsx';
import { IdentifyPage, TracePage } from './images.tsx';
import { PricingPage } from './pricing.tsx';
import { ProductsPage } from './products.tsx';
import { OperatorTopUpsPage } from './topups.tsx';

const OperatorSession = graphql(`
  query OperatorSessionQuery {
    operatorSession {
      operatorId
      email
      csrfToken
    }
  }
`);

const SignIn = graphql(`
  mutation OperatorSignIn($email: String!, $password: String!, $totp: String!) {
    operatorSignIn(email: $email, password: $password, totp: $totp) {
      operatorId
      email
      csrfToken
    }
  }
`);

const SignOut = graphql(`
  mutation OperatorSignOut {
    operatorSignOut
  }
`);

interface Operator {
  email: string;
  csrfToken: string;
}

const PAGES: [string, string][] = [
  ['/console/admin', 'Accounts'],
  ['/console/admin/topups', 'Top-ups'],
  ['/console/admin/pricing', 'Pricing & packages'],
  ['/console/admin/products', 'Products'],
  ['/console/admin/trace', 'Trace a URL'],
  ['/console/admin/identify', 'Identify a leak'],
  ['/console/admin/webhooks', 'Webhook health'],
];

export function AdminApp({ path }: { path: string }) {
  const [op, setOp] = useState<Operator | null | undefined>(undefined);
  const [loadError, setLoadError] = useState<string | null>(null);
  const adopt = useCallback((o: Operator | null) => {
    setCsrfToken(o?.csrfToken ?? null);
    setOp(o);
  }, []);
  useEffect(() => {
    gql(OperatorSession).then(
      (d) => adopt(d.operatorSession ?? null),
      (e: Error) => setLoadError(e.message),
    );
  }, [adopt]);
  const out = useAction(async () => {
    await gql(SignOut);
    adopt(null);
    navigate('/console/admin', true);
  });
  let body: preact.ComponentChildren;
  if (loadError) body = <Unavailable error={loadError} />;
  else if (op === undefined) body = <p aria-busy="true">Loading…</p>;
  else if (!op) body = <OperatorSignIn onSession={adopt} />;
  else body = <OperatorPage path={path} />;
  return (
    <>
      <header class="top">
        <a class="brand" href="/console/admin">
          Operator console
        </a>
        {op ? (
          <>
            <span class="who">{op.email} · operator</span>
            <button type="button" onClick={() => out.act()} disabled={out.busy}>
              Sign out
            </button>
          </>
        ) : null}
      </header>
      {op ? (
        <nav class="main" aria-label="Operator console">
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
      <main id="main">{body}</main>
    </>
  );
}

function OperatorSignIn({ onSession }: { onSession: (o: Operator) => void }) {
  const { busy, error, act } = useAction(async (v: Record<string, string>) => {
    onSession((await gql(SignIn, { email: v.email, password: v.password, totp: v.totp })).operatorSignIn);
  });
  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title">Operator sign-in</h1>
      <form class="stack narrow" onSubmit={(e) => act(formValues(e))}>
        <Field label="E-mail" name="email" type="email" required autocomplete="username" maxLength={254} />
        <Field
          label="Password"
          name="password"
          type="password"
          required
          autocomplete="current-password"
          maxLength={200}
        />
        <Field
          label="Authenticator code"
          name="totp"
          required
          autocomplete="one-time-code"
          inputMode="numeric"
          maxLength={6}
          hint="The 6-digit code of your authenticator app."
        />
        <ErrorNote error={error} />
        <button type="submit" disabled={busy}>
          Sign in
        </button>
      </form>
    </section>
  );
}

function OperatorPage({ path }: { path: string }) {
  switch (path) {
    case '/console/admin':
      return <AccountsPage />;
    case '/console/admin/topups':
      return <OperatorTopUpsPage />;
    case '/console/admin/pricing':
      return <PricingPage />;
    case '/console/admin/products':
      return <ProductsPage />;
    case '/console/admin/trace':
      return <TracePage />;
    case '/console/admin/identify':
      return <IdentifyPage />;
    case '/console/admin/webhooks':
      return <WebhookHealthPage />;
    default:
      return (
        <section aria-labelledby="page-title">
          <h1 id="page-title">Page not found</h1>
        </section>
      );
  }
}
