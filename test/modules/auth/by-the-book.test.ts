// Tokens by the book (docs/tokens-and-sessions.md#access-tokens, #canonical-encoding, #login-throttle):
// correctly signed JWTs that break a rule are refused, other spellings of a token's bytes are refused (JWTs and
// image tokens), and guesses at a client's key from elsewhere never lock out the client itself.
import { createHmac, randomBytes } from 'node:crypto';
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { call, type JsonResponse } from '../../helpers/http.ts';
import { seed } from '../../helpers/testkit.ts';

let app: TestApp;
const rnd = () => Math.floor(Math.random() * 250) + 1;
const newIp = () => `10.${rnd()}.${rnd()}.${rnd()}`;

beforeAll(async () => {
  app = await startTestApp({ env: { TRUSTED_PROXIES: '127.0.0.1/32' } });
});
afterAll(async () => {
  await app.close();
});

const ABSENT = '/api/v1/products/4006381333931';
const probe = (token: string) => call(app.url, ABSENT, { token });
const refused = async (token: string) => expectError(await probe(token), 401, 'unauthenticated');
function expectError(res: JsonResponse, status: number, code: string) {
  expect(res.status).toBe(status);
  expect(res.body).toEqual({ error: code, message: expect.any(String), request_id: res.headers.get('x-request-id') });
}
const expectPass = (res: JsonResponse) => expectError(res, 404, 'not_found');

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
const jwtKey = () => {
  const [kid, ...rest] = app.env.JWT_KEYS.split(',')[0].split(':');
  return { kid, secret: rest.join(':') };
};
function forge(header: object, claims: object): string {
  const data = `${b64(header)}.${b64(claims)}`;
  return `${data}.${createHmac('sha256', jwtKey().secret).update(data).digest('base64url')}`;
}
const decode = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString());

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
/**
 * The same bytes spelled differently: the last character of a base64url segment carries spare low bits
 * (2 or 4 of them, by length); setting them gives other strings that decode to identical bytes.
 */
function respellings(seg: string): string[] {
  const spare = (seg.length * 6) % 8;
  if (spare === 0) return [];
  const last = ALPHABET.indexOf(seg[seg.length - 1]);
  const out: string[] = [];
  for (let low = 1; low < 1 << spare; low++) out.push(seg.slice(0, -1) + ALPHABET[(last & ~((1 << spare) - 1)) | low]);
  for (const s of out) expect(Buffer.from(s, 'base64url').equals(Buffer.from(seg, 'base64url'))).toBe(true);
  return out;
}

describe('access tokens signed with the real key but breaking a rule', () => {
  it('are refused: future jti, 10-year exp, future nbf, long lifetime, stale jti, wrong or missing typ', async () => {
    const c = await seed(app).client();
    const { kid } = jwtKey();
    const good = decode(c.accessToken);
    const now = Math.floor(Date.now() / 1000);
    const h = { alg: 'HS256', typ: 'JWT', kid };
    // control: the construction itself is accepted, so every refusal below is the rule it breaks
    expectPass(await probe(forge(h, { ...good, jti: ulid() })));
    expectPass(await probe(forge(h, { ...good, jti: ulid(), nbf: now - 10 })));

    // A jti from the far future would sort after every revocation mark.
    await refused(forge(h, { ...good, jti: ulid(Date.now() + 10 * 365 * 86400_000) }));
    await refused(forge(h, { ...good, jti: ulid(Date.now() + 5 * 60_000) }));
    // A jti older than any token can live, and one that is not a ULID at all.
    await refused(forge(h, { ...good, jti: ulid(Date.now() - 2 * 3600_000) }));
    await refused(forge(h, { ...good, jti: 'not-a-ulid' }));
    // exp 10 years out, and a lifetime just over the access TTL plus the skew.
    await refused(forge(h, { ...good, jti: ulid(), exp: now + 10 * 365 * 86400 }));
    await refused(forge(h, { ...good, jti: ulid(), iat: now, exp: now + 3600 + 61 }));
    await refused(forge(h, { ...good, jti: ulid(), iat: now + 5, exp: now }));
    // nbf in the future (beyond the skew), and a non-numeric nbf.
    await refused(forge(h, { ...good, jti: ulid(), nbf: now + 3600 }));
    await refused(forge(h, { ...good, jti: ulid(), nbf: String(now) }));
    // iat in the future beyond the skew.
    await refused(forge(h, { ...good, jti: ulid(), iat: now + 600, exp: now + 600 + 3600 }));
    // typ: required, and only as we write it.
    for (const typ of [undefined, 'jwt', 'application/jwt', 'at+jwt', 'JWS']) {
      await refused(forge({ alg: 'HS256', kid, ...(typ ? { typ } : {}) }, { ...good, jti: ulid() }));
    }
    // crit headers are not understood, so not accepted.
    await refused(forge({ ...h, crit: ['exp'] }, { ...good, jti: ulid() }));
  });
});

describe('canonical base64url only', () => {
  it('refuses an access token whose segments are re-spelled with the same bytes', async () => {
    const c = await seed(app).client();
    expectPass(await probe(c.accessToken));
    const [h, p, s] = c.accessToken.split('.');
    const variants = [
      ...respellings(s).map((x) => `${h}.${p}.${x}`),
      ...respellings(p).map((x) => `${h}.${x}.${s}`),
      ...respellings(h).map((x) => `${x}.${p}.${s}`),
      `${h}=.${p}.${s}`,
      `${h}.${p}.${s}=`,
      `${h}.${p}.${s.replace(/-/g, '+').replace(/_/g, '/')}`,
    ].filter((v) => v !== c.accessToken);
    expect(variants.length).toBeGreaterThanOrEqual(3);
    for (const v of variants) await refused(v);
    expectPass(await probe(c.accessToken));
  });

  it('refuses an image token whose segments are re-spelled with the same bytes, without burning it', async () => {
    const product = await seed(app).product({ images: ['front'] });
    const c = await seed(app).client({ credits: 10 });
    const res = await call(app.url, `/api/v1/products/${product.barcode}?include=images`, { token: c.accessToken });
    expect(res.status).toBe(200);
    const url = res.body.images.front as string;
    const token = url.slice(url.lastIndexOf('/') + 1);
    const [body, tag] = token.split('.');
    const variants = [...respellings(tag).map((x) => `${body}.${x}`), ...respellings(body).map((x) => `${x}.${tag}`)];
    expect(variants.length).toBeGreaterThanOrEqual(3);
    for (const v of variants) {
      const r = await fetch(`${app.url}/api/v1/image/${v}`);
      expect(r.status).toBe(403);
      expect((await r.json()).error).toBe('signed_url_invalid');
    }
    expect((await fetch(url)).status).toBe(200);
  });
});

describe('failed-login throttle', () => {
  const token = (clientId: string, apiKey: string, ip: string) =>
    call(app.url, '/api/v1/auth/token', {
      body: { client_id: clientId, api_key: apiKey },
      headers: { 'x-forwarded-for': ip },
    });

  it('never locks the owner out: 20 wrong keys for its client_id from 20 addresses, then the right one', async () => {
    const victim = await seed(app).client();
    for (let i = 0; i < 20; i++) {
      const guess = `kc_live_${randomBytes(32).toString('base64url')}`;
      expectError(await token(victim.clientId, guess, newIp()), 401, 'invalid_credentials');
    }
    expect((await token(victim.clientId, victim.apiKey, newIp())).status).toBe(200);
    // Many more wrong keys still do not lock it out.
    for (let i = 0; i < 25; i++) await token(victim.clientId, 'kc_live_wrong', newIp());
    expect((await token(victim.clientId, victim.apiKey, newIp())).status).toBe(200);
  });

  it('one guessing address is stopped (429 with Retry-After), every other address goes on', async () => {
    const victim = await seed(app).client();
    const attacker = newIp();
    for (let i = 0; i < 20; i++) {
      expectError(await token(victim.clientId, 'kc_live_wrong', attacker), 401, 'invalid_credentials');
    }
    const blocked = await token(victim.clientId, victim.apiKey, attacker);
    expectError(blocked, 429, 'rate_limited');
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await token(victim.clientId, victim.apiKey, newIp())).status).toBe(200);
  });
});
