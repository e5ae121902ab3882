// Tokens (CONTRACT §2, §13): the first call exchanges the key; a token is renewed by refresh before it expires
// (the harness issues 4-second tokens); a token the server refuses is renewed once and the call repeated.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { KosherCatalog, keyMode } from '../src/index.js';
import { admin, env, recordingClient, sleep } from './helpers.mjs';

describe('tokens', () => {
  it('exchanges the key on the first call and tells live from test keys', async () => {
    const { kc, sent } = recordingClient();
    assert.equal(kc.mode, 'live');
    const res = await kc.balance();
    assert.equal(typeof res.data.credits_remaining, 'number');
    assert.equal(res.bill.creditsDebited, 0);
    assert.deepEqual(sent, ['POST /api/v1/auth/token 200', 'GET /api/v1/balance 200']);
    assert.equal(keyMode('kc_test_abc'), 'test');
    assert.equal(new KosherCatalog({ baseUrl: 'http://x', clientId: 'c', apiKey: 'kc_test_abc' }).mode, 'test');
    assert.equal(keyMode('something'), 'unknown');
  });

  it('refreshes before expiry: after sleeping past the token lifetime the next call refreshes, never sees a 401', async () => {
    const ttlSec = Number(env('KC_ACCESS_TOKEN_TTL_SEC'));
    const { kc, sent, retries } = recordingClient();
    const first = await kc.exchangeToken();
    assert.equal(first.data.expires_in, ttlSec);
    await kc.balance();
    await sleep(ttlSec * 1000 + 1000);
    const res = await kc.balance();
    assert.equal(res.status, 200);
    assert.deepEqual(sent, [
      'POST /api/v1/auth/token 200',
      'GET /api/v1/balance 200',
      'POST /api/v1/auth/refresh 200',
      'GET /api/v1/balance 200',
    ]);
    assert.deepEqual(retries, []);
  });

  it('after a 401 (sessions ended by the operator) renews once and repeats the call', async () => {
    const { kc, sent } = recordingClient();
    await kc.balance();
    await admin('POST', `/admin/v1/clients/${env('KC_CLIENT_ID')}/revoke-sessions`);
    const res = await kc.balance();
    assert.equal(res.status, 200);
    // The refused call, the refused refresh (the operator ended it too), a new exchange, the repeat.
    assert.deepEqual(sent.slice(2), [
      'GET /api/v1/balance 401',
      'POST /api/v1/auth/refresh 401',
      'POST /api/v1/auth/token 200',
      'GET /api/v1/balance 200',
    ]);
  });

  it('concurrent calls share one renewal (a refresh token is single use)', async () => {
    const ttlSec = Number(env('KC_ACCESS_TOKEN_TTL_SEC'));
    const { kc, sent } = recordingClient();
    await kc.balance();
    // Past the renewal point (a tenth of the lifetime, at least 1 s, before expiry).
    await sleep(ttlSec * 1000 - 500);
    const all = await Promise.all([kc.balance(), kc.account(), kc.balance(), kc.account()]);
    assert.ok(all.every((r) => r.status === 200));
    assert.equal(sent.filter((s) => s.startsWith('POST /api/v1/auth/refresh')).length, 1);
    assert.equal(sent.filter((s) => s.startsWith('POST /api/v1/auth/token')).length, 1);
  });

  it('a wrong key is a typed 401 invalid_credentials', async () => {
    const kc = new KosherCatalog({
      baseUrl: env('KC_BASE_URL'),
      clientId: env('KC_CLIENT_ID'),
      apiKey: `kc_live_${'A'.repeat(43)}`,
    });
    await assert.rejects(kc.balance(), (/** @type {any} */ e) => {
      assert.equal(e.name, 'KosherCatalogError');
      assert.equal(e.code, 'invalid_credentials');
      assert.equal(e.status, 401);
      assert.match(e.requestId, /^req_/);
      return true;
    });
  });
});
