// docs/admin.md (accounts, clients, keys, credits) over HTTP with the admin bearer token.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { call, type JsonResponse } from '../../helpers/http.ts';
import { seed } from '../../helpers/testkit.ts';

let app: TestApp;
// A short rotation overlap so the test can watch the old key stop working; long enough that the checks made
// during it still fall inside it when the machine is busy.
beforeAll(async () => {
  app = await startTestApp({ env: { API_KEY_OVERLAP_SEC: '5' } });
});
afterAll(async () => {
  await app.close();
});

const admin = (path: string, opts: { method?: string; body?: unknown; headers?: Record<string, string> } = {}) =>
  call(app.url, path, { token: app.adminToken, ...opts });

function expectError(res: JsonResponse, status: number, code: string, messagePart?: string) {
  expect(res.status).toBe(status);
  expect(res.body).toEqual({ error: code, message: expect.any(String), request_id: res.headers.get('x-request-id') });
  if (messagePart) expect(res.body.message).toContain(messagePart);
}

const exchange = (clientId: string, apiKey: string) =>
  call(app.url, '/api/v1/auth/token', { body: { client_id: clientId, api_key: apiKey } });
const idemKey = () => `grant-${randomBytes(12).toString('hex')}`;

describe('admin authentication', () => {
  it('answers a missing or wrong admin token with 401 unauthenticated on every admin route', async () => {
    const c = await seed(app).client();
    const routes: [string, string][] = [
      ['POST', '/admin/v1/accounts'],
      ['GET', `/admin/v1/accounts/${c.accountId}`],
      ['POST', `/admin/v1/accounts/${c.accountId}/clients`],
      ['GET', `/admin/v1/accounts/${c.accountId}/clients`],
      ['PATCH', `/admin/v1/clients/${c.clientId}`],
      ['POST', `/admin/v1/clients/${c.clientId}/rotate-key`],
      ['POST', `/admin/v1/accounts/${c.accountId}/credits`],
    ];
    for (const [method, path] of routes) {
      const body = method === 'GET' ? undefined : { name: 'x' };
      expectError(await call(app.url, path, { method, body }), 401, 'unauthenticated');
      expectError(await call(app.url, path, { method, body, token: app.adminToken + 'x' }), 401, 'unauthenticated');
      // A client's access token is not an admin token.
      expectError(await call(app.url, path, { method, body, token: c.accessToken }), 401, 'unauthenticated');
    }
  });
});

describe('accounts and clients', () => {
  it('creates an account with 10 free credits, recorded as a grant in the ledger', async () => {
    const res = await admin('/admin/v1/accounts', { body: { name: 'Grocer' } });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      account_id: expect.stringMatching(/^acct_/),
      name: 'Grocer',
      credits_remaining: 10,
    });
    const rows = await app.db.sql<{ kind: string; amount: bigint; balance_after: bigint }[]>`
      select kind, amount, balance_after from credit_ledger where account_id = ${res.body.account_id}`;
    expect(rows).toEqual([{ kind: 'grant', amount: 100000n, balance_after: 100000n }]);
    const explicit = await admin('/admin/v1/accounts', { body: { name: 'Exact', credits: '2.6001' } });
    expect(explicit.body.credits_remaining).toBe(2.6001);
    const zero = await admin('/admin/v1/accounts', { body: { name: 'Nothing', credits: 0 } });
    expect(zero.body.credits_remaining).toBe(0);
  });

  it('creates a client (key shown once), lists and shows clients without keys', async () => {
    const acct = await admin('/admin/v1/accounts', { body: { name: 'Chain' } });
    const res = await admin(`/admin/v1/accounts/${acct.body.account_id}/clients`, {
      body: {
        name: 'Store 12',
        tier: 'enterprise',
        ip_allowlist: ['10.1.2.3/8'],
        scope: { brands: ['Osem', 'Manischewitz'] },
        limits: { per_minute: 100 },
      },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      client_id: expect.stringMatching(/^cl_/),
      api_key: expect.stringMatching(/^kc_live_/),
      tier: 'enterprise',
      enabled: true,
      ip_allowlist: ['10.0.0.0/8'],
      scope: { brands: ['Osem', 'Manischewitz'], ownerships: null },
      limits: { per_minute: 100, per_day: null },
      expires_at: null,
    });
    const list = await admin(`/admin/v1/accounts/${acct.body.account_id}/clients`);
    expect(list.status).toBe(200);
    expect(list.body.clients).toHaveLength(1);
    expect(list.body.clients[0].client_id).toBe(res.body.client_id);
    expect(JSON.stringify(list.body)).not.toContain(res.body.api_key);
    expect(list.body.clients[0]).not.toHaveProperty('api_key');
    const one = await admin(`/admin/v1/accounts/${acct.body.account_id}`);
    expect(JSON.stringify(one.body)).not.toContain(res.body.api_key);
    expect(one.body.clients).toHaveLength(1);
  });

  it('validates admin bodies strictly with 400 bad_request naming the field', async () => {
    const acct = await admin('/admin/v1/accounts', { body: { name: 'Strict' } });
    const clients = `/admin/v1/accounts/${acct.body.account_id}/clients`;
    expectError(await admin('/admin/v1/accounts', { body: {} }), 400, 'bad_request', 'name');
    expectError(
      await admin('/admin/v1/accounts', { body: { name: 'x', credits: '1.00001' } }),
      400,
      'bad_request',
      'credits',
    );
    expectError(await admin('/admin/v1/accounts', { body: { name: 'x', extra: 1 } }), 400, 'bad_request');
    expectError(await admin(clients, { body: { name: 'c', tier: 'gold' } }), 400, 'bad_request', 'tier');
    expectError(
      await admin(clients, { body: { name: 'c', tier: 'free', ip_allowlist: ['10.0.0.0/33'] } }),
      400,
      'bad_request',
      'ip_allowlist',
    );
    expectError(
      await admin(clients, { body: { name: 'c', tier: 'free', limits: { per_minute: 0 } } }),
      400,
      'bad_request',
      'limits.per_minute',
    );
    expectError(
      await admin(clients, { body: { name: 'c', tier: 'free', expires_at: 'tomorrow' } }),
      400,
      'bad_request',
      'expires_at',
    );
    expectError(
      await admin(clients, { body: { name: 'c', tier: 'free', scope: { brand: ['x'] } } }),
      400,
      'bad_request',
      'scope',
    );
    expectError(await admin(clients, { body: '[]' }), 400, 'bad_request');
    expectError(
      await admin(clients, { body: 'name=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } }),
      415,
      'unsupported_media_type',
    );
    expectError(
      await admin('/admin/v1/accounts/acct_nope/clients', { body: { name: 'c', tier: 'free' } }),
      404,
      'not_found',
    );
    expectError(
      await admin('/admin/v1/clients/cl_nope', { method: 'PATCH', body: { enabled: false } }),
      404,
      'not_found',
    );
    expectError(await admin('/admin/v1/clients/cl_nope/rotate-key', { method: 'POST' }), 404, 'not_found');
  });

  it('updates only the fields sent, and null clears scope, limits and expiry', async () => {
    const c = await seed(app).client({ scope: { ownerships: ['Studio A'] }, limits: { per_day: 999 } });
    const path = `/admin/v1/clients/${c.clientId}`;
    const r1 = await admin(path, { method: 'PATCH', body: { tier: 'free', expires_at: '2031-01-01T00:00:00Z' } });
    expect(r1.status).toBe(200);
    expect(r1.body).toMatchObject({
      tier: 'free',
      scope: { brands: null, ownerships: ['Studio A'] },
      limits: { per_minute: null, per_day: 999 },
      expires_at: '2031-01-01T00:00:00.000Z',
    });
    const r2 = await admin(path, {
      method: 'PATCH',
      body: { scope: null, limits: { per_day: null }, expires_at: null, ip_allowlist: ['::1'] },
    });
    expect(r2.body).toMatchObject({
      tier: 'free',
      scope: { brands: null, ownerships: null },
      limits: { per_day: null },
      expires_at: null,
      ip_allowlist: ['::1/128'],
    });
  });
});

describe('key rotation', () => {
  it('issues a new key; the old one works during the overlap, then stops', async () => {
    const c = await seed(app).client();
    const rot = await admin(`/admin/v1/clients/${c.clientId}/rotate-key`, { method: 'POST' });
    expect(rot.status).toBe(200);
    expect(rot.body.api_key).toMatch(/^kc_live_/);
    expect(rot.body.api_key).not.toBe(c.apiKey);
    expect(Date.parse(rot.body.previous_key_valid_until)).toBeGreaterThan(Date.now());
    expect((await exchange(c.clientId, c.apiKey)).status).toBe(200);
    expect((await exchange(c.clientId, rot.body.api_key)).status).toBe(200);
    // Until just past the end of the overlap the server announced (not a fixed guess of how long that is).
    await new Promise((r) =>
      setTimeout(r, Math.max(0, Date.parse(rot.body.previous_key_valid_until) - Date.now()) + 300),
    );
    expectError(await exchange(c.clientId, c.apiKey), 401, 'invalid_credentials');
    expect((await exchange(c.clientId, rot.body.api_key)).status).toBe(200);
  });

  it('a second rotation ends the earlier overlap at once (never more than two working keys)', async () => {
    const c = await seed(app).client();
    const k2 = (await admin(`/admin/v1/clients/${c.clientId}/rotate-key`, { method: 'POST' })).body.api_key;
    const k3 = (await admin(`/admin/v1/clients/${c.clientId}/rotate-key`, { method: 'POST' })).body.api_key;
    expectError(await exchange(c.clientId, c.apiKey), 401, 'invalid_credentials');
    expect((await exchange(c.clientId, k2)).status).toBe(200);
    expect((await exchange(c.clientId, k3)).status).toBe(200);
  });
});

describe('credit grants', () => {
  it('requires an Idempotency-Key of 20-255 characters', async () => {
    const c = await seed(app).client();
    const path = `/admin/v1/accounts/${c.accountId}/credits`;
    expectError(await admin(path, { body: { amount: 5, reason: 'promo' } }), 400, 'bad_request', 'Idempotency-Key');
    expectError(
      await admin(path, { body: { amount: 5, reason: 'promo' }, headers: { 'idempotency-key': 'too-short' } }),
      400,
      'bad_request',
    );
    expectError(
      await admin(path, { body: { amount: 5 }, headers: { 'idempotency-key': idemKey() } }),
      400,
      'bad_request',
      'reason',
    );
  });

  it('grants exactly once per key: a replay answers the same and adds nothing; another body under the key is 409', async () => {
    const c = await seed(app).client({ credits: 1 });
    const path = `/admin/v1/accounts/${c.accountId}/credits`;
    const key = idemKey();
    const first = await admin(path, {
      body: { amount: '2.6', reason: 'invoice 1' },
      headers: { 'idempotency-key': key },
    });
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ account_id: c.accountId, credits_remaining: 3.6 });
    const replay = await admin(path, {
      body: { amount: '2.6', reason: 'invoice 1' },
      headers: { 'idempotency-key': key },
    });
    expect(replay.status).toBe(200);
    expect(replay.body).toEqual(first.body);
    expect(replay.headers.get('idempotency-replayed')).toBe('1');
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expectError(
      await admin(path, { body: { amount: 3, reason: 'invoice 1' }, headers: { 'idempotency-key': key } }),
      409,
      'idempotency_key_mismatch',
    );
    const second = await admin(path, {
      body: { amount: '0.0001', reason: 'rounding' },
      headers: { 'idempotency-key': idemKey() },
    });
    expect(second.body.credits_remaining).toBe(3.6001);
    const acct = await admin(`/admin/v1/accounts/${c.accountId}`);
    expect(acct.body.credits_remaining).toBe(3.6001);
  });

  it('grants once under concurrent calls with one key', async () => {
    const c = await seed(app).client({ credits: 0 });
    const key = idemKey();
    const calls = await Promise.all(
      Array.from({ length: 5 }, () =>
        admin(`/admin/v1/accounts/${c.accountId}/credits`, {
          body: { amount: 7, reason: 'race' },
          headers: { 'idempotency-key': key },
        }),
      ),
    );
    for (const r of calls) expect(r.body).toEqual({ account_id: c.accountId, credits_remaining: 7 });
    const [{ n }] = await app.db.sql<
      { n: number }[]
    >`select count(*)::int as n from credit_ledger where account_id = ${c.accountId}`;
    expect(n).toBe(1);
  });

  it('refuses an adjustment below zero and a grant to an unknown account', async () => {
    const c = await seed(app).client({ credits: 1 });
    expectError(
      await admin(`/admin/v1/accounts/${c.accountId}/credits`, {
        body: { amount: -2, reason: 'chargeback' },
        headers: { 'idempotency-key': idemKey() },
      }),
      409,
      'conflict',
    );
    const ok = await admin(`/admin/v1/accounts/${c.accountId}/credits`, {
      body: { amount: -0.5, reason: 'chargeback' },
      headers: { 'idempotency-key': idemKey() },
    });
    expect(ok.body.credits_remaining).toBe(0.5);
    expectError(
      await admin('/admin/v1/accounts/acct_nope/credits', {
        body: { amount: 1, reason: 'x' },
        headers: { 'idempotency-key': idemKey() },
      }),
      404,
      'not_found',
    );
  });
});
