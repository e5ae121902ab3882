// docs/limits.md: successful /auth/token exchanges count only against the client's own buckets, never against
// the per-IP bucket of unauthenticated traffic; failed ones count against the source IP.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { call } from '../../helpers/http.ts';
import { seed } from '../../helpers/testkit.ts';

const IP_PER_MINUTE = 3;
let app: TestApp;
// TRUSTED_PROXIES=127.0.0.1/32 + X-Forwarded-For: each test poses as its own source IP.
const rnd = () => Math.floor(Math.random() * 250) + 1;
const fromIp = () => ({ 'x-forwarded-for': `10.${rnd()}.${rnd()}.${rnd()}` });

beforeAll(async () => {
  app = await startTestApp({
    env: { TRUSTED_PROXIES: '127.0.0.1/32', RATE_LIMIT_IP_PER_MINUTE: String(IP_PER_MINUTE) },
  });
});
afterAll(async () => {
  await app?.close();
});

describe('/auth/token and the per-IP bucket', () => {
  it(`more successful exchanges from one IP than RATE_LIMIT_IP_PER_MINUTE (${IP_PER_MINUTE}) all succeed`, async () => {
    const c = await seed(app).client({ tier: 'enterprise' });
    const ip = fromIp();
    for (let i = 0; i < IP_PER_MINUTE * 3; i++) {
      const r = await call(app.url, '/api/v1/auth/token', {
        body: { client_id: c.clientId, api_key: c.apiKey },
        headers: ip,
      });
      expect(r.status, `exchange ${i + 1}`).toBe(200);
      // The client's buckets (with the day pair), not the IP's.
      expect(r.headers.get('x-ratelimit-limit-minute')).toBe('6000');
      expect(r.headers.get('x-ratelimit-limit-day')).toBe('1000000');
    }
    // The IP's bucket is untouched: unauthenticated traffic from it still has its whole minute.
    const pricing = await call(app.url, '/api/v1/pricing', { headers: ip });
    expect(pricing.status).toBe(200);
    expect(pricing.headers.get('x-ratelimit-limit-minute')).toBe(String(IP_PER_MINUTE));
    expect(pricing.headers.get('x-ratelimit-remaining-minute')).toBe(String(IP_PER_MINUTE - 1));
  });

  it('failed exchanges count against the source IP and carry its headers', async () => {
    const ip = fromIp();
    for (let i = 0; i < IP_PER_MINUTE; i++) {
      const r = await call(app.url, '/api/v1/auth/token', {
        body: { client_id: `cl_guess${i}`, api_key: 'kc_live_wrong' },
        headers: ip,
      });
      expect(r.status).toBe(401);
      expect(r.body.error).toBe('invalid_credentials');
      expect(r.headers.get('x-ratelimit-limit-minute')).toBe(String(IP_PER_MINUTE));
      expect(r.headers.get('x-ratelimit-remaining-minute')).toBe(String(IP_PER_MINUTE - 1 - i));
      expect(r.headers.get('x-ratelimit-limit-day')).toBeNull();
    }
    const refused = await call(app.url, '/api/v1/pricing', { headers: ip });
    expect(refused.status).toBe(429);
    expect(refused.body.error).toBe('rate_limited');
    // A correct key from that address still gets through: successes are the client's business.
    const c = await seed(app).client();
    expect(
      (await call(app.url, '/api/v1/auth/token', { body: { client_id: c.clientId, api_key: c.apiKey }, headers: ip }))
        .status,
    ).toBe(200);
  });
});
