// The operator console at /console/admin: sign-in with password and TOTP, then the operator pages.
export function AdminApp(_props: { path: string }) {
  return (
    <>
      <header class="top">
        <a class="brand" href="/console/admin">
          Operator console
        </a>
      </header>
      <main id="main">
        <h1>Operator sign-in</h1>
      </main>
    </>
  );
}
