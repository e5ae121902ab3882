// The OAuth2 client-credentials form of POST /api/v1/auth/token (docs/rest.md#oauth2-client-credentials):
// form-encoded, credentials in the body or HTTP Basic, the OAuth2 token response, OAuth2 error bodies (JSON
// requests keep ours), the same failed-attempt throttle and body limit; the token's scope named in the answer and
// a requested scope the client lacks refused (docs/rest.md#oauth2-scope). Every response is checked against
// schema/openapi.yaml by call().
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { call, type JsonResponse } from '../../helpers/http.ts';
import { type SignedInClient, seed } from '../../helpers/testkit.ts';

let app: TestApp;
let c: SignedInClient;
const rnd = () => Math.floor(Math.random() * 250) + 1;
// Each test poses as its own source IP, so the per-IP failure counters of one test never affect another.
const fromIp = () => ({ 'x-forwarded-for': `10.${rnd()}.${rnd()}.${rnd()}` });

const FORM = 'application/x-www-form-urlencoded';
const basic = (id: string, secret: string) =>
  `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;

function token(form: Record<string, string> | string, headers: Record<string, string> = {}) {
  const body = typeof form === 'string' ? form : new URLSearchParams(form).toString();
  return call(app.url, '/api/v1/auth/token', { body, headers: { 'content-type': FORM, ...fromIp(), ...headers } });
}

function oauthError(res: JsonResponse, status: number, error: string) {
  expect(res.status).toBe(status);
  expect(res.body).toEqual({
    error,
    error_description: expect.any(String),
    request_id: res.headers.get('x-request-id'),
  });
  expect(res.headers.get('cache-control')).toBe('no-store');
}

beforeAll(async () => {
  app = await startTestApp({ env: { TRUSTED_PROXIES: '127.0.0.1/32', AUTH_FAILED_PER_MINUTE: '3' } });
  c = await seed(app).client({ tier: 'standard' });
});
afterAll(async () => {
  await app?.close();
});

async function works(res: JsonResponse) {
  expect(res.status).toBe(200);
  expect(res.headers.get('cache-control')).toBe('no-store');
  expect(res.body).toMatchObject({
    access_token: expect.any(String),
    token_type: 'Bearer',
    expires_in: 3600,
    refresh_token: expect.stringMatching(/^kc_rt_/),
    refresh_expires_in: 7776000,
  });
  const probe = await call(app.url, '/api/v1/balance', { token: res.body.access_token });
  expect(probe.status).toBe(200);
}

describe('grant_type=client_credentials', () => {
  it('credentials in the body', async () => {
    await works(await token({ grant_type: 'client_credentials', client_id: c.clientId, client_secret: c.apiKey }));
  });

  it('credentials by HTTP Basic (form-encoded, RFC 6749 §2.3.1); a matching client_id in the body is fine', async () => {
    const authorization = basic(c.clientId, c.apiKey);
    await works(await token({ grant_type: 'client_credentials' }, { authorization }));
    await works(await token({ grant_type: 'client_credentials', client_id: c.clientId }, { authorization }));
    // charset parameter and unknown parameters are accepted (unknown ones ignored, RFC 6749 §3.2).
    await works(
      await token(
        { grant_type: 'client_credentials', scope: 'brand:*', extra: '1' },
        { authorization, 'content-type': `${FORM}; charset=UTF-8` },
      ),
    );
  });

  it('the JSON form keeps its contract', async () => {
    const res = await call(app.url, '/api/v1/auth/token', {
      body: { client_id: c.clientId, api_key: 'kc_live_wrong' },
      headers: fromIp(),
    });
    expect(res.status).toBe(401);
    expect(res.body).toEqual({
      error: 'invalid_credentials',
      message: expect.any(String),
      request_id: expect.any(String),
    });
    const bad = await call(app.url, '/api/v1/auth/token', { body: { client_id: c.clientId }, headers: fromIp() });
    expect(bad.body.error).toBe('bad_request');
  });
});

describe('OAuth2 errors', () => {
  it('invalid_client: wrong secret (401; WWW-Authenticate: Basic only when Basic was used)', async () => {
    const body = await token({ grant_type: 'client_credentials', client_id: c.clientId, client_secret: 'nope' });
    oauthError(body, 401, 'invalid_client');
    expect(body.headers.get('www-authenticate')).toBeNull();
    const viaBasic = await token({ grant_type: 'client_credentials' }, { authorization: basic(c.clientId, 'nope') });
    oauthError(viaBasic, 401, 'invalid_client');
    expect(viaBasic.headers.get('www-authenticate')).toMatch(/^Basic /);
    const none = await token({ grant_type: 'client_credentials' });
    oauthError(none, 401, 'invalid_client');
    const malformed = await token({ grant_type: 'client_credentials' }, { authorization: 'Basic bm9jb2xvbg==' });
    oauthError(malformed, 401, 'invalid_client');
  });

  it('unsupported_grant_type and invalid_request', async () => {
    oauthError(
      await token({ grant_type: 'password', client_id: c.clientId, client_secret: c.apiKey }),
      400,
      'unsupported_grant_type',
    );
    oauthError(await token({ client_id: c.clientId, client_secret: c.apiKey }), 400, 'invalid_request');
    oauthError(
      await token(`grant_type=client_credentials&grant_type=client_credentials&client_id=${c.clientId}`),
      400,
      'invalid_request',
    );
    // Two authentication methods at once (RFC 6749 §2.3).
    oauthError(
      await token(
        { grant_type: 'client_credentials', client_secret: c.apiKey },
        { authorization: basic(c.clientId, c.apiKey) },
      ),
      400,
      'invalid_request',
    );
    oauthError(
      await token({ grant_type: 'client_credentials' }, { authorization: basic(c.clientId, 'x'.repeat(600)) }),
      400,
      'invalid_request',
    );
  });

  it('unauthorized_client: a disabled client', async () => {
    const d = await seed(app).client();
    const off = await call(app.url, `/admin/v1/clients/${d.clientId}`, {
      method: 'PATCH',
      token: app.adminToken,
      body: { enabled: false },
    });
    expect(off.status).toBe(200);
    oauthError(
      await token({ grant_type: 'client_credentials', client_id: d.clientId, client_secret: d.apiKey }),
      400,
      'unauthorized_client',
    );
  });
});

describe('scope (docs/rest.md#oauth2-scope)', () => {
  const grant = (who: SignedInClient, scope?: string, headers: Record<string, string> = {}) =>
    token(
      { grant_type: 'client_credentials', ...(scope === undefined ? {} : { scope }) },
      { authorization: basic(who.clientId, who.apiKey), ...headers },
    );
  let scoped: SignedInClient;
  beforeAll(async () => {
    scoped = await seed(app).client({ scope: { brands: ['Osem', 'Kedem Foods', 'אסם'], ownerships: ['Studio-A'] } });
  });
  const refreshTokens = async (clientId: string) =>
    Number((await app.db.sql`select count(*) as n from refresh_tokens where client_id = ${clientId}`)[0].n);

  it('the token response names the scope the token carries: the client filter, in every form of the exchange', async () => {
    const open = await grant(c);
    await works(open);
    expect(open.body.scope).toBe('brand:* ownership:*');
    const narrow = await grant(scoped);
    await works(narrow);
    const named = 'brand:Osem brand:Kedem%20Foods brand:%D7%90%D7%A1%D7%9D ownership:Studio-A';
    expect(narrow.body.scope).toBe(named);
    // The JSON exchange and a refresh say the same.
    const json = await call(app.url, '/api/v1/auth/token', {
      body: { client_id: scoped.clientId, api_key: scoped.apiKey },
      headers: fromIp(),
    });
    expect(json.body.scope).toBe(named);
    const refreshed = await call(app.url, '/api/v1/auth/refresh', { body: { refresh_token: json.body.refresh_token } });
    expect(refreshed.body.scope).toBe(named);
  });

  it('a requested scope the client holds is granted: its own names (any case), "every" where it is unrestricted', async () => {
    for (const scope of [
      '',
      'brand:osem',
      'brand:Kedem%20Foods ownership:studio-a',
      'brand:%D7%90%D7%A1%D7%9D',
      'brand:Osem  brand:Osem',
    ]) {
      const r = await grant(scoped, scope);
      expect(r.status, scope).toBe(200);
      expect(r.body.scope, scope).toBe('brand:Osem brand:Kedem%20Foods brand:%D7%90%D7%A1%D7%9D ownership:Studio-A');
    }
    for (const scope of ['brand:* ownership:*', 'brand:Anything', 'ownership:Studio-Z brand:*']) {
      const r = await grant(c, scope);
      expect(r.status, scope).toBe(200);
      expect(r.body.scope, scope).toBe('brand:* ownership:*');
    }
  });

  it('a scope the client lacks, or a malformed one, is 400 invalid_scope naming it; no token is issued', async () => {
    const before = await refreshTokens(scoped.clientId);
    for (const [scope, named] of [
      ['brand:Elite', 'brand:Elite'],
      ['brand:Osem brand:Elite', 'brand:Elite'],
      ['brand:*', 'brand:*'],
      ['ownership:*', 'ownership:*'],
      ['brand:Osem ownership:Studio-B', 'ownership:Studio-B'],
      ['products.read', 'products.read'],
      ['brand:', 'brand:'],
      ['brand:%20', 'brand:%20'],
      ['brand:%ZZ', 'brand:%ZZ'],
      ['brand:Kedem Foods', 'brand:Kedem'], // a space separates tokens: "brand:Kedem" is not held
      ['brand:"Osem"', 'brand:"Osem"'],
      ['brand:אסם', 'brand:אסם'],
      [`brand:${'x'.repeat(5000)}`, 'brand:xxx'],
    ]) {
      const r = await grant(scoped, scope);
      oauthError(r, 400, 'invalid_scope');
      expect(r.body.error_description, scope).toContain(named);
      expect(r.headers.get('x-credits-debited')).toBe('0');
    }
    expect(await refreshTokens(scoped.clientId)).toBe(before);
  });

  it('refusing a scope is not a failed login: the throttle never trips, and it counts against the client buckets', async () => {
    // AUTH_FAILED_PER_MINUTE is 3 here: ten refusals from one address, then the right request from it still works.
    const ip = fromIp();
    let remaining = Number.POSITIVE_INFINITY;
    let window: string | null = null;
    for (let i = 0; i < 10; i++) {
      const r = await grant(scoped, 'brand:Elite', ip);
      oauthError(r, 400, 'invalid_scope');
      const left = Number(r.headers.get('x-ratelimit-remaining-minute'));
      // Each refusal takes one from the client's minute bucket (unless that minute ended meanwhile: a new bucket).
      const reset = r.headers.get('x-ratelimit-reset');
      if (reset === window) expect(left).toBeLessThan(remaining);
      window = reset;
      remaining = left;
    }
    await works(await grant(scoped, 'brand:Osem', ip));
  });
});

describe('limits as for the JSON form', () => {
  it('failed attempts are throttled per source (429 rate_limited with Retry-After); the right key still works elsewhere', async () => {
    const ip = fromIp();
    for (let i = 0; i < 3; i++) {
      const res = await token({ grant_type: 'client_credentials', client_id: c.clientId, client_secret: 'bad' }, ip);
      oauthError(res, 401, 'invalid_client');
    }
    const blocked = await token(
      { grant_type: 'client_credentials', client_id: c.clientId, client_secret: c.apiKey },
      ip,
    );
    expect(blocked.status).toBe(429);
    expect(blocked.body.error).toBe('rate_limited');
    expect(blocked.headers.get('retry-after')).toMatch(/^[0-9]+$/);
    // A JSON attempt from the same source is throttled too: one counter for both forms.
    const json = await call(app.url, '/api/v1/auth/token', {
      body: { client_id: c.clientId, api_key: c.apiKey },
      headers: ip,
    });
    expect(json.status).toBe(429);
    await works(await token({ grant_type: 'client_credentials', client_id: c.clientId, client_secret: c.apiKey }));
  });

  it('the 1 MiB body limit (413) and other media types (415) keep our error body', async () => {
    const big = await token(`grant_type=client_credentials&pad=${'x'.repeat(1024 * 1024)}`);
    expect(big.status).toBe(413);
    expect(big.body.error).toBe('payload_too_large');
    const text = await call(app.url, '/api/v1/auth/token', {
      body: 'grant_type=client_credentials',
      headers: { 'content-type': 'text/plain', ...fromIp() },
    });
    expect(text.status).toBe(415);
    expect(text.body.error).toBe('unsupported_media_type');
  });
});
