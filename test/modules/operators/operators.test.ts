// Operators and top-ups (docs/console.md#operators, #top-ups), against the running app: an operator made with the
// admin CLI signs in with password + TOTP (RFC 6238, each code once); a person requests a top-up, the operator
// confirms it, twice and concurrently, and the balance rises once with a ledger row naming the top-up; every
// operator field refuses a person's session and a bearer token; the audit log names the operator's actions.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { base32Decode, hotp } from '../../../src/modules/operators/totp.ts';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { cliJson, runNpm } from '../../helpers/cli.ts';
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

class Browser {
  cookie = '';
  csrf = '';
  async gql(query: string, variables: Record<string, unknown> = {}, bearer?: string) {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.cookie) headers.cookie = this.cookie;
    if (this.csrf) headers['x-csrf-token'] = this.csrf;
    if (bearer) headers.authorization = `Bearer ${bearer}`;
    const res = await call(app.url, '/graphql', { headers, body: { query, variables } });
    const set = res.headers.get('set-cookie');
    if (set) this.cookie = set.split(';')[0];
    return res.body as { data: any; errors?: { message: string; extensions: { code: string } }[] };
  }
  async ok(query: string, variables: Record<string, unknown> = {}) {
    const b = await this.gql(query, variables);
    expect(b.errors, JSON.stringify(b.errors)).toBeUndefined();
    return b.data;
  }
  async code(query: string, variables: Record<string, unknown> = {}, bearer?: string) {
    return (await this.gql(query, variables, bearer)).errors?.[0]?.extensions.code;
  }
}

const PASSWORD = 'operator passphrase 9 long';
const code = (secret: string, offsetSteps = 0) =>
  hotp(base32Decode(secret), Math.floor(Date.now() / 30_000) + offsetSteps);

describe('operators and top-ups', () => {
  it('TOTP sign-in, top-up confirmed exactly once, refusals, audit', async () => {
    const opEmail = `op.${Date.now()}@example.test`;
    const made = cliJson(
      await runNpm(['admin', '--', 'operator', 'create', '--email', opEmail, '--password', PASSWORD], {
        ...app.env,
        LOG_LEVEL: 'warn',
      }),
    );
    expect(made.otpauth_uri).toMatch(/^otpauth:\/\/totp\//);
    const op = new Browser();
    const signIn =
      'mutation($e: String!, $p: String!, $t: String!) { operatorSignIn(email: $e, password: $p, totp: $t) { csrfToken email } }';
    expect(await op.code(signIn, { e: opEmail, p: PASSWORD, t: '000000' })).toBe('INVALID_CREDENTIALS');
    expect(await op.code(signIn, { e: opEmail, p: 'wrong password here', t: code(made.totp_secret) })).toBe(
      'INVALID_CREDENTIALS',
    );
    // The next step's code is within the skew; the same code a second time is refused.
    const t = code(made.totp_secret, 1);
    const s = (await op.ok(signIn, { e: opEmail, p: PASSWORD, t })).operatorSignIn;
    op.csrf = s.csrfToken;
    expect(s.email).toBe(opEmail);
    expect(await new Browser().code(signIn, { e: opEmail, p: PASSWORD, t })).toBe('INVALID_CREDENTIALS');

    // A person signs up and asks for the starter package.
    const person = new Browser();
    const address = `buyer.${Date.now()}@example.test`;
    await person.ok(
      'mutation($e: String!) { consoleSignUp(email: $e, password: "buyer passphrase 123", accountName: "Buyer") { devLink } }',
      { e: address },
    );
    const verify = new URL(await smtp.link(address, 'verify')).searchParams.get('token');
    person.csrf = (
      await person.ok('mutation($t: String!) { consoleVerifyEmail(token: $t) { csrfToken } }', { t: verify })
    ).consoleVerifyEmail.csrfToken;
    const packages = (await new Browser().ok('{ creditPackages { packageId credits price currency } }')).creditPackages;
    expect(packages[0]).toEqual({ packageId: 'starter', credits: 1000, price: '10.00', currency: 'USD' });
    const tu = (await person.ok('mutation { consoleRequestTopUp(packageId: "starter") { topUpId status credits } }'))
      .consoleRequestTopUp;
    expect(tu).toMatchObject({ status: 'PENDING', credits: 1000 });

    // A person's session and a bearer token cannot act as an operator.
    const confirm = 'mutation($id: ID!) { operatorConfirmTopUp(topUpId: $id) { status } }';
    expect(await person.code(confirm, { id: tu.topUpId })).toBe('UNAUTHENTICATED');
    const c = await seed(app).client({ credits: 1 });
    expect(await op.code(confirm, { id: tu.topUpId }, c.accessToken)).toBe('FORBIDDEN');

    // Confirmed twice at once and once more after: credited once.
    const results = await Promise.all([op.gql(confirm, { id: tu.topUpId }), op.gql(confirm, { id: tu.topUpId })]);
    for (const r of results) expect(r.data?.operatorConfirmTopUp.status).toBe('CONFIRMED');
    expect((await op.ok(confirm, { id: tu.topUpId })).operatorConfirmTopUp.status).toBe('CONFIRMED');
    const view = await person.ok(
      '{ consoleOverview { balance } consoleLedger { entries { kind amount reason } } consoleTopUps { status } }',
    );
    expect(view.consoleOverview.balance).toBe(1010);
    const grants = view.consoleLedger.entries.filter((e: { reason: string | null }) => e.reason?.includes(tu.topUpId));
    expect(grants).toEqual([{ kind: 'grant', amount: 1000, reason: expect.stringContaining('top-up') }]);
    expect(view.consoleTopUps).toEqual([{ status: 'CONFIRMED' }]);

    // Operators find the account and grant credits idempotently.
    const found = (
      await op.ok('query($q: String) { operatorAccounts(search: $q) { accountId owners balance } }', { q: address })
    ).operatorAccounts;
    expect(found).toHaveLength(1);
    expect(found[0].owners).toEqual([address]);
    const grant =
      'mutation($a: ID!) { operatorGrantCredits(accountId: $a, amount: 2.5, reason: "goodwill", idempotencyKey: "grant-0001") }';
    expect((await op.ok(grant, { a: found[0].accountId })).operatorGrantCredits).toBe(1012.5);
    expect((await op.ok(grant, { a: found[0].accountId })).operatorGrantCredits).toBe(1012.5);
    expect((await op.ok('{ operatorWebhookHealth { queued failed } }')).operatorWebhookHealth).toEqual({
      queued: expect.any(Number),
      failed: expect.any(Number),
    });

    const log = (await person.ok('{ consoleAuditLog { entries { action actorKind actor } } }')).consoleAuditLog.entries;
    expect(log).toContainEqual({ action: 'topup.confirm', actorKind: 'OPERATOR', actor: opEmail });
    expect(log).toContainEqual({ action: 'credits.grant', actorKind: 'OPERATOR', actor: opEmail });
    expect(log).toContainEqual({ action: 'topup.request', actorKind: 'USER', actor: address });
  });
});
