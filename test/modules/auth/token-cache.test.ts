// Verified access tokens are cached per node (src/modules/auth/token-cache.ts), but whatever ends a token still ends it
// on the very next request: revocation, revoke-sessions, disabling the client. The cache's size and bound are
// in /metrics (docs/operations.md#metrics).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { call } from '../../helpers/http.ts';
import { exchangeKey, seed } from '../../helpers/testkit.ts';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ env: { AUTH_TOKEN_CACHE_ENTRIES: '500' } });
});
afterAll(async () => {
  await app?.close();
});

// A product absent from this catalog: past the gate the answer is 404 (not billed); the gate answers 401/403.
const ABSENT = '/api/v1/products/4006381333931';
const probe = (token: string) => call(app.url, ABSENT, { token });
const admin = (path: string, body: unknown = {}, method?: string) =>
  call(app.url, path, { token: app.adminToken, body, ...(method ? { method } : {}) });

async function metric(name: string, cache: string, result?: string): Promise<number> {
  const res = await call(app.url, '/admin/v1/metrics', { token: app.adminToken });
  const want = result ? `${name}{cache="${cache}",result="${result}"}` : `${name}{cache="${cache}"}`;
  const line = (res.body as string).split('\n').find((l) => l.startsWith(`${want} `));
  return line ? Number(line.slice(want.length + 1)) : 0;
}

describe('verified-token cache', () => {
  it('answers repeat requests from the cache and shows its size and bound in /metrics', async () => {
    const c = await seed(app).client();
    const hits0 = await metric('kc_cache_lookups_total', 'auth_tokens', 'hit');
    for (let i = 0; i < 5; i++) expect((await probe(c.accessToken)).status).toBe(404);
    expect((await metric('kc_cache_lookups_total', 'auth_tokens', 'hit')) - hits0).toBeGreaterThanOrEqual(4);
    expect(await metric('kc_cache_max_entries', 'auth_tokens')).toBe(500);
    expect(await metric('kc_cache_entries', 'auth_tokens')).toBeGreaterThanOrEqual(1);
  });

  it('a revoked access token is refused on the next request, though it is cached', async () => {
    const c = await seed(app).client();
    expect((await probe(c.accessToken)).status).toBe(404);
    expect((await probe(c.accessToken)).status).toBe(404);
    const r = await call(app.url, '/api/v1/auth/revoke', { body: { token: c.accessToken } });
    expect(r.body).toMatchObject({ revoked: true });
    expect((await probe(c.accessToken)).status).toBe(401);
  });

  it('revoke-sessions and disabling the client end cached tokens at once', async () => {
    const c = await seed(app).client();
    expect((await probe(c.accessToken)).status).toBe(404);
    expect((await admin(`/admin/v1/clients/${c.clientId}/revoke-sessions`)).status).toBe(200);
    expect((await probe(c.accessToken)).status).toBe(401);

    const fresh = await exchangeKey(app.url, c.clientId, c.apiKey);
    expect((await probe(fresh.accessToken)).status).toBe(404);
    expect((await admin(`/admin/v1/clients/${c.clientId}`, { enabled: false }, 'PATCH')).status).toBe(200);
    expect((await probe(fresh.accessToken)).status).toBe(403);
  });
});
