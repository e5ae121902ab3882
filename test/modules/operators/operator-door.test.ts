// The operator console's door (docs/console.md#operators): with ADMIN_PORT set, /console/admin and /admin/graphql
// are served on the admin listener only, and the public /graphql refuses every operator field (the customer console
// stays public). /admin/graphql answers only operator fields (and `pricing`, which the console reads).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { base32Decode, hotp } from '../../../src/modules/operators/totp.ts';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { cliJson, runNpm } from '../../helpers/cli.ts';
import { call, type JsonResponse } from '../../helpers/http.ts';

const PASSWORD = 'operator passphrase 9 long';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ env: { ADMIN_HOST: '127.0.0.1', ADMIN_PORT: '0' } });
});
afterAll(async () => {
  await app?.close();
});

function expectError(res: JsonResponse, status: number, code: string) {
  expect(res.status).toBe(status);
  expect(res.body).toMatchObject({ error: code, message: expect.any(String) });
}

async function post(base: string, path: string, query: string, headers: Record<string, string> = {}) {
  const res = await call(base, path, { headers: { accept: 'application/json', ...headers }, body: { query } });
  return res as { status: number; headers: Headers; body: any };
}

describe('operator console with ADMIN_PORT', () => {
  it('serves /console/admin and its assets on the admin listener only; the customer console stays public', async () => {
    const admin = app.service.adminUrl;
    expect(admin).not.toBe(app.url);
    for (const p of ['/console/admin', '/console/admin/pricing'])
      expectError(await call(app.url, p), 404, 'route_not_found');
    const page = await fetch(`${admin}/console/admin`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html = await page.text();
    const asset = html.match(/\/console\/assets\/[^"]+\.js/)?.[0];
    expect(asset).toBeDefined();
    expect((await fetch(`${admin}${asset}`)).status).toBe(200);
    expect((await fetch(`${app.url}${asset}`)).status).toBe(200);
    expect((await fetch(`${app.url}/console`)).status).toBe(200);
    expectError(await call(admin, '/console'), 404, 'route_not_found');
  });

  it('operator fields answer on /admin/graphql of the admin listener, never on the public /graphql', async () => {
    const admin = app.service.adminUrl;
    const email = `door.${Date.now()}@example.test`;
    const made = cliJson(
      await runNpm(['admin', '--', 'operator', 'create', '--email', email, '--password', PASSWORD], {
        ...app.env,
        LOG_LEVEL: 'warn',
      }),
    );
    const totp = hotp(base32Decode(made.totp_secret), Math.floor(Date.now() / 30_000));
    const signIn = `mutation { operatorSignIn(email: "${email}", password: "${PASSWORD}", totp: "${totp}") { csrfToken } }`;

    // The public listener: no /admin/graphql, and its /graphql refuses operator fields before running anything.
    expectError(
      await call(app.url, '/admin/graphql', { body: { query: '{ operatorSession { email } }' } }),
      404,
      'route_not_found',
    );
    for (const q of [
      '{ operatorSession { email } }',
      signIn,
      '{ pricing { currency } operatorPackages { packageId } }',
    ]) {
      const r = await post(app.url, '/graphql', q);
      expect(r.body.data ?? null).toBeNull();
      expect(r.body.errors[0].extensions.code).toBe('NOT_FOUND');
      expect(r.body.errors[0].message).toContain('admin listener');
    }
    // The code was not used by the refused sign-in: it still signs in on the admin listener.
    const ok = await post(admin, '/admin/graphql', signIn);
    expect(ok.body.errors).toBeUndefined();
    const cookie = ok.headers.get('set-cookie')!.split(';')[0];
    const csrf = ok.body.data.operatorSignIn.csrfToken;
    const read = await post(admin, '/admin/graphql', '{ operatorSession { email } pricing { currency } }', { cookie });
    expect(read.body).toMatchObject({
      data: { operatorSession: { email }, pricing: { currency: expect.any(String) } },
    });
    // The same cookie on the public /graphql: still refused.
    const leaked = await post(app.url, '/graphql', '{ operatorAccounts { accountId } }', { cookie });
    expect(leaked.body.errors[0].extensions.code).toBe('NOT_FOUND');
    // /admin/graphql is no second public API: customer fields are refused there; the admin listener has no /graphql.
    const customer = await post(admin, '/admin/graphql', '{ consoleSession { accountId } }', { cookie });
    expect(customer.body.errors[0].extensions.code).toBe('NOT_FOUND');
    expect((await fetch(`${admin}/graphql`, { method: 'POST', body: '{}' })).status).toBe(404);
    // The public API and the customer console's fields work as before.
    const pub = await post(app.url, '/graphql', '{ consoleSession { accountId } pricing { currency } }');
    expect(pub.body.errors).toBeUndefined();
    const out = await post(admin, '/admin/graphql', 'mutation { operatorSignOut }', { cookie, 'x-csrf-token': csrf });
    expect(out.body).toMatchObject({ data: { operatorSignOut: true } });
  });
});
