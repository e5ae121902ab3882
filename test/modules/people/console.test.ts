// The customer console over GraphQL (docs/console.md), against the running app, with mail through a real SMTP
// server started here: sign-up -> mail -> verify -> a live key -> its first billed call, visible in the console's
// usage and ledger; roles, CSRF, bearer refusal, another account's ids, single-use reset links, the audit log.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { call } from '../../helpers/http.ts';
import { type SmtpSink, startSmtpSink } from '../../helpers/smtp-sink.ts';
import { seed } from '../../helpers/testkit.ts';

let app: TestApp;
let smtp: SmtpSink;
beforeAll(async () => {
  smtp = await startSmtpSink();
  app = await startTestApp({ env: { SMTP_URL: smtp.url, SIGNUP: 'open' } });
});
afterAll(async () => {
  await app?.close();
  await smtp?.close();
});

/** A browser of the console: one cookie jar, the CSRF token of its session. */
class Browser {
  cookie = '';
  csrf = '';
  async gql(query: string, variables: Record<string, unknown> = {}, opts: { csrf?: boolean; bearer?: string } = {}) {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.cookie) headers.cookie = this.cookie;
    if (opts.csrf !== false && this.csrf) headers['x-csrf-token'] = this.csrf;
    if (opts.bearer) headers.authorization = `Bearer ${opts.bearer}`;
    const res = await call(app.url, '/graphql', { headers, body: { query, variables } });
    const set = res.headers.get('set-cookie');
    if (set) {
      const [pair] = set.split(';');
      this.cookie = pair.endsWith('=') ? '' : pair;
    }
    return res.body as { data: any; errors?: { message: string; extensions: { code: string } }[] };
  }
  async ok(query: string, variables: Record<string, unknown> = {}) {
    const b = await this.gql(query, variables);
    expect(b.errors, JSON.stringify(b.errors)).toBeUndefined();
    return b.data;
  }
  async code(query: string, variables: Record<string, unknown> = {}, opts = {}) {
    const b = await this.gql(query, variables, opts);
    return b.errors?.[0]?.extensions.code;
  }
}

const SESSION = 'csrfToken accountId role user { userId email emailVerified }';
const PASSWORD = 'a long enough passphrase 42';
let n = 0;
const email = () => `person${++n}.${Date.now()}@example.test`;

async function signUp(b: Browser, address = email()) {
  await b.ok(
    'mutation($e: String!, $p: String!) { consoleSignUp(email: $e, password: $p, accountName: "Shop") { devLink } }',
    {
      e: address,
      p: PASSWORD,
    },
  );
  const link = await smtp.link(address, 'verify');
  const token = new URL(link).searchParams.get('token');
  const s = (await b.ok(`mutation($t: String!) { consoleVerifyEmail(token: $t) { ${SESSION} } }`, { t: token }))
    .consoleVerifyEmail;
  b.csrf = s.csrfToken;
  return { address, session: s };
}

const CREATE = `mutation($i: ConsoleApiClientInput!) { consoleCreateApiClient(input: $i) {
  apiKey curl client { clientId name mode keyHint } } }`;

describe('the console', () => {
  it('sign-up -> mail -> verify -> live key -> first billed call, visible in usage, ledger and CSV', async () => {
    const b = new Browser();
    const { session } = await signUp(b);
    expect(session.role).toBe('OWNER');
    expect(session.user.emailVerified).toBe(true);
    // A new account: 10 free credits, a test and a live client.
    const first = await b.ok(
      '{ consoleOverview { balance spendSeries { day amount } } consoleApiClients { name mode } }',
    );
    expect(first.consoleOverview.balance).toBe(10);
    expect(first.consoleOverview.spendSeries).toHaveLength(30);
    expect(first.consoleApiClients.map((c: { mode: string }) => c.mode).sort()).toEqual(['LIVE', 'TEST']);

    const made = (await b.ok(CREATE, { i: { name: 'store 1', mode: 'LIVE' } })).consoleCreateApiClient;
    expect(made.apiKey).toMatch(/^kc_live_/);
    expect(made.curl).toContain(made.client.clientId);
    expect(made.client.keyHint).toBe(`${made.apiKey.slice(0, 8)}…${made.apiKey.slice(-4)}`);

    const tok = await call(app.url, '/api/v1/auth/token', {
      body: { client_id: made.client.clientId, api_key: made.apiKey },
    });
    expect(tok.status).toBe(200);
    const p = await seed(app).product({ meta: 'full' });
    const read = await call(app.url, `/api/v1/products/${p.barcode}?include=product_meta`, {
      token: (tok.body as { access_token: string }).access_token,
    });
    expect(read.status).toBe(200);

    const after = await b.ok(`{ consoleOverview { balance spentToday }
      consoleUsage { totalAmount rows { clientId mode action requests amount } }
      consoleLedger { entries { kind amount clientId reason } } }`);
    expect(after.consoleOverview.balance).toBe(9.5);
    expect(after.consoleOverview.spentToday).toBe(0.5);
    expect(after.consoleUsage.totalAmount).toBe(0.5);
    expect(after.consoleUsage.rows).toContainEqual({
      clientId: made.client.clientId,
      mode: 'LIVE',
      action: 'products.get',
      requests: 1,
      amount: 0.5,
    });
    expect(after.consoleLedger.entries[0]).toMatchObject({
      kind: 'debit',
      amount: -0.5,
      clientId: made.client.clientId,
    });
    expect(after.consoleLedger.entries.at(-1)).toMatchObject({ kind: 'grant', amount: 10 });

    const csv = await fetch(`${app.url}/console/usage.csv`, { headers: { cookie: b.cookie } });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    expect(await csv.text()).toContain(`${made.client.clientId},store 1,live,products.get,`);
    const ledger = await fetch(`${app.url}/console/ledger.csv`, { headers: { cookie: b.cookie } });
    expect(await ledger.text()).toContain('debit,-0.5,');
    // Without the session cookie the export is refused.
    expect((await fetch(`${app.url}/console/ledger.csv`)).status).toBe(401);

    // The console operations were free: the balance moved by the one billed read only.
    const audit = (await b.ok('{ consoleAuditLog { entries { action actor ip } } }')).consoleAuditLog.entries;
    expect(audit.map((a: { action: string }) => a.action)).toEqual(
      expect.arrayContaining(['account.sign_up', 'user.verify_email', 'client.create']),
    );
    expect(audit[0].ip).toBeTruthy();
  });

  it('refuses a mutation without the CSRF header, and any console operation with a bearer API token', async () => {
    const b = new Browser();
    await signUp(b);
    expect(await b.code(CREATE, { i: { name: 'x', mode: 'LIVE' } }, { csrf: false })).toBe('FORBIDDEN');
    const c = await seed(app).client({ credits: 1 });
    expect(await b.code('{ consoleApiClients { clientId } }', {}, { bearer: c.accessToken })).toBe('FORBIDDEN');
    expect(await b.code(CREATE, { i: { name: 'x', mode: 'LIVE' } }, { bearer: c.accessToken })).toBe('FORBIDDEN');
    const anon = new Browser();
    expect(await anon.code('{ consoleApiClients { clientId } }')).toBe('UNAUTHENTICATED');
    expect((await anon.ok('{ consoleSession { accountId } }')).consoleSession).toBeNull();
  });

  it('a viewer reads but cannot create a key; another account cannot reach these ids (404)', async () => {
    const owner = new Browser();
    const { session } = await signUp(owner);
    const viewerEmail = email();
    await owner.ok('mutation($e: String!) { consoleInvite(email: $e, role: VIEWER) { invitation { invitationId } } }', {
      e: viewerEmail,
    });
    const link = await smtp.link(viewerEmail, 'accept-invitation');
    const viewer = new Browser();
    const vs = (
      await viewer.ok(
        `mutation($t: String!, $p: String!) { consoleAcceptInvitation(token: $t, password: $p) { ${SESSION} } }`,
        {
          t: new URL(link).searchParams.get('token'),
          p: PASSWORD,
        },
      )
    ).consoleAcceptInvitation;
    viewer.csrf = vs.csrfToken;
    expect(vs.accountId).toBe(session.accountId);
    expect(vs.role).toBe('VIEWER');
    expect((await viewer.ok('{ consoleApiClients { clientId } }')).consoleApiClients).toHaveLength(2);
    expect(await viewer.code(CREATE, { i: { name: 'no', mode: 'LIVE' } })).toBe('FORBIDDEN');
    expect(await viewer.code('mutation { consoleRequestTopUp(packageId: "starter") { topUpId } }')).toBe('FORBIDDEN');
    const team = (await owner.ok('{ consoleTeam { email role } }')).consoleTeam;
    expect(team).toContainEqual({ email: viewerEmail, role: 'VIEWER' });

    const made = (await owner.ok(CREATE, { i: { name: 'mine', mode: 'TEST' } })).consoleCreateApiClient;
    const other = new Browser();
    await signUp(other);
    const id = made.client.clientId;
    expect(
      await other.code('mutation($c: ID!) { consoleRevokeApiClientSessions(clientId: $c) { clientId } }', { c: id }),
    ).toBe('NOT_FOUND');
    expect(await other.code('mutation($c: ID!) { consoleRotateApiKey(clientId: $c) { apiKey } }', { c: id })).toBe(
      'NOT_FOUND',
    );
    const theirs = await other.ok(
      '{ consoleApiClients { clientId } consoleWebhooks { id } consoleUsage { rows { clientId } } }',
    );
    expect(theirs.consoleApiClients.map((c: { clientId: string }) => c.clientId)).not.toContain(id);
    expect(theirs.consoleUsage.rows).toEqual([]);

    const log = (await owner.ok('{ consoleAuditLog { entries { action actor } } }')).consoleAuditLog.entries;
    expect(log.map((a: { action: string }) => a.action)).toEqual(
      expect.arrayContaining(['team.invite', 'team.join', 'client.create']),
    );
  });

  it('a reset link works once and ends the other sessions', async () => {
    const b = new Browser();
    const { address } = await signUp(b);
    const anon = new Browser();
    await anon.ok('mutation($e: String!) { consoleRequestPasswordReset(email: $e) { devLink } }', { e: address });
    const token = new URL(await smtp.link(address, 'reset-password')).searchParams.get('token');
    const next = 'another long passphrase 77';
    expect(
      (
        await anon.ok('mutation($t: String!, $p: String!) { consoleResetPassword(token: $t, password: $p) }', {
          t: token,
          p: next,
        })
      ).consoleResetPassword,
    ).toBe(true);
    expect(
      await anon.code('mutation($t: String!, $p: String!) { consoleResetPassword(token: $t, password: $p) }', {
        t: token,
        p: next,
      }),
    ).toBe('BAD_REQUEST');
    // The old session ended; the new password signs in, the old one does not.
    expect(await b.code('{ consoleApiClients { clientId } }')).toBe('UNAUTHENTICATED');
    expect(
      await anon.code('mutation($e: String!, $p: String!) { consoleSignIn(email: $e, password: $p) { csrfToken } }', {
        e: address,
        p: PASSWORD,
      }),
    ).toBe('INVALID_CREDENTIALS');
    expect(
      (
        await anon.ok('mutation($e: String!, $p: String!) { consoleSignIn(email: $e, password: $p) { csrfToken } }', {
          e: address,
          p: next,
        })
      ).consoleSignIn.csrfToken,
    ).toBeTruthy();
    // Password rules.
    expect(
      await anon.code(
        'mutation { consoleSignUp(email: "x@example.test", password: "short", accountName: "a") { devLink } }',
      ),
    ).toBe('BAD_REQUEST');
    expect(
      await anon.code(
        'mutation { consoleSignUp(email: "x@example.test", password: "password1234", accountName: "a") { devLink } }',
      ),
    ).toBe('BAD_REQUEST');
  });
});
