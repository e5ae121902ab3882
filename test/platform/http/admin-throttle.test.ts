// The admin API against guessing and exposure (docs/tokens-and-sessions.md#admin-api): wrong admin tokens are
// throttled per source address, and with ADMIN_PORT the admin API lives only on a private listener.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { call, type JsonResponse } from '../../helpers/http.ts';
import { seed } from '../../helpers/testkit.ts';

const rnd = () => Math.floor(Math.random() * 250) + 1;
const newIp = () => `10.${rnd()}.${rnd()}.${rnd()}`;

function expectError(res: JsonResponse, status: number, code: string) {
  expect(res.status).toBe(status);
  expect(res.body).toEqual({ error: code, message: expect.any(String), request_id: res.headers.get('x-request-id') });
}

describe('failed admin authentication', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ env: { TRUSTED_PROXIES: '127.0.0.1/32' } });
  });
  afterAll(async () => {
    await app.close();
  });

  const accounts = (ip: string, token?: string) =>
    call(app.url, '/admin/v1/accounts', { body: { name: 'throttle test' }, token, headers: { 'x-forwarded-for': ip } });

  it('60 wrong tokens from one address: 20 get 401, then 429 with Retry-After, even the right one', async () => {
    const ip = newIp();
    const statuses: number[] = [];
    let last: JsonResponse | null = null;
    for (let i = 0; i < 60; i++) {
      last = await accounts(ip, `${app.adminToken}x${i}`);
      statuses.push(last.status);
    }
    expect(statuses.slice(0, 20)).toEqual(Array(20).fill(401));
    expect(statuses.slice(20)).toEqual(Array(40).fill(429));
    expectError(last!, 429, 'rate_limited');
    const retry = Number(last!.headers.get('retry-after'));
    expect(retry).toBeGreaterThan(0);
    expect(retry).toBeLessThanOrEqual(60);
    // From there, the right token learns nothing either; another address is unaffected.
    expectError(await accounts(ip, app.adminToken), 429, 'rate_limited');
    expect((await accounts(newIp(), app.adminToken)).status).toBe(201);
    // Other admin routes share the same count.
    const pricing = await call(app.url, '/admin/v1/pricing', {
      method: 'PUT',
      body: {},
      token: app.adminToken,
      headers: { 'x-forwarded-for': ip },
    });
    expectError(pricing, 429, 'rate_limited');
  });

  it('requests without any token are not guesses and are not counted', async () => {
    const ip = newIp();
    for (let i = 0; i < 30; i++) expectError(await accounts(ip), 401, 'unauthenticated');
    expect((await accounts(ip, app.adminToken)).status).toBe(201);
  });

  it('wrong admin tokens do not touch the public API budget of the address', async () => {
    const ip = newIp();
    for (let i = 0; i < 25; i++) await accounts(ip, 'wrong-admin-token-xxxxxxxxxxxxx');
    const c = await seed(app).client();
    const body = { client_id: c.clientId, api_key: c.apiKey };
    expect((await call(app.url, '/api/v1/auth/token', { body, headers: { 'x-forwarded-for': ip } })).status).toBe(200);
  });
});

describe('private admin listener (ADMIN_PORT)', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ env: { ADMIN_HOST: '127.0.0.1', ADMIN_PORT: '0' } });
  });
  afterAll(async () => {
    await app.close();
  });

  it('serves /admin/v1 only on the admin listener; the public one answers 404 as for any unknown path', async () => {
    const adminUrl = app.service.adminUrl;
    expect(adminUrl).not.toBe(app.url);
    const pub = await call(app.url, '/admin/v1/accounts', { body: { name: 'x' }, token: app.adminToken });
    expectError(pub, 404, 'route_not_found');
    expectError(await call(app.url, '/admin/v1/accounts', { body: { name: 'x' } }), 404, 'route_not_found');
    expectError(await call(app.url, '/admin/v1/trace/abc', { token: app.adminToken }), 404, 'route_not_found');
    const created = await call(adminUrl, '/admin/v1/accounts', { body: { name: 'private' }, token: app.adminToken });
    expect(created.status).toBe(201);
    expectError(await call(adminUrl, '/admin/v1/accounts', { body: { name: 'x' } }), 401, 'unauthenticated');
  });

  it('the admin listener serves nothing else; the public API works as before', async () => {
    const adminUrl = app.service.adminUrl;
    expectError(await call(adminUrl, '/api/v1/health'), 404, 'route_not_found');
    expectError(await call(adminUrl, '/api/v1/pricing'), 404, 'route_not_found');
    const json = { 'content-type': 'application/json' };
    const gql = await fetch(`${adminUrl}/graphql`, { method: 'POST', body: '{}', headers: json });
    expect(gql.status).toBe(404);
    expect((await call(app.url, '/api/v1/health')).status).toBe(200);
    // Provisioning through the admin listener; the client then uses the public one.
    const acct = await call(adminUrl, '/admin/v1/accounts', { body: { name: 'p' }, token: app.adminToken });
    const cl = await call(adminUrl, `/admin/v1/accounts/${acct.body.account_id}/clients`, {
      body: { name: 'c', tier: 'standard' },
      token: app.adminToken,
    });
    expect(cl.status).toBe(201);
    const tok = await call(app.url, '/api/v1/auth/token', {
      body: { client_id: cl.body.client_id, api_key: cl.body.api_key },
    });
    expect(tok.status).toBe(200);
    expect((await call(app.url, '/api/v1/balance', { token: tok.body.access_token })).status).toBe(200);
  });
});
