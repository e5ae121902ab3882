// The console overview's rate-limit budget (docs/console.md#operations): each API client's minute and day buckets
// with limit, remaining and reset, the same numbers GET /api/v1/account reports, read without counting a request.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { ConsoleClient } from '../../helpers/console-client.ts';
import { call } from '../../helpers/http.ts';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ env: { SIGNUP: 'open' } });
});
afterAll(async () => {
  await app?.close();
});

const OVERVIEW = `{ consoleOverview { rateLimits { clientId mode
  minute { limit remaining reset } day { limit remaining reset } } } }`;

interface Bucket {
  limit: number;
  remaining: number;
  reset: string;
}

describe('console overview', () => {
  it("shows each client's buckets as /api/v1/account does, without spending them", async () => {
    const c = new ConsoleClient(app.url);
    await c.signUp();
    const live = await c.client('LIVE');
    const key = (
      await c.ok('mutation($c: ID!) { consoleRotateApiKey(clientId: $c, retirePreviousNow: true) { apiKey } }', {
        c: live.clientId,
      })
    ).consoleRotateApiKey.apiKey;

    // Untouched: the whole budget, refilling at the end of the current minute and UTC day.
    const fresh = (await c.ok(OVERVIEW)).consoleOverview.rateLimits;
    expect(fresh).toHaveLength(2);
    const f = fresh.find((b: { clientId: string }) => b.clientId === live.clientId);
    expect(f.minute).toMatchObject({ limit: 30, remaining: 30 });
    expect(f.day).toMatchObject({ limit: 500, remaining: 500 });
    const dayEnd = new Date();
    dayEnd.setUTCHours(24, 0, 0, 0);
    expect(Date.parse(f.day.reset)).toBe(dayEnd.getTime());
    expect(Date.parse(f.minute.reset) - Date.now()).toBeGreaterThan(0);
    expect(Date.parse(f.minute.reset) - Date.now()).toBeLessThanOrEqual(60_000);

    // The client spends some: the token exchange and three calls, four requests counted.
    const tok = await call(app.url, '/api/v1/auth/token', { body: { client_id: live.clientId, api_key: key } });
    const token = (tok.body as { access_token: string }).access_token;
    await call(app.url, '/api/v1/balance', { token });
    await call(app.url, '/api/v1/balance', { token });
    const acct = await call(app.url, '/api/v1/account', { token });
    expect(acct.status).toBe(200);
    const rl = (acct.body as { rate_limits: Record<'minute' | 'day', { remaining: number; reset: number }> })
      .rate_limits;

    // Read twice: the console's reads count nothing, and it agrees with what the client was told.
    for (let i = 0; i < 2; i++) {
      const b = (await c.ok(OVERVIEW)).consoleOverview.rateLimits.find(
        (x: { clientId: string }) => x.clientId === live.clientId,
      ) as { minute: Bucket; day: Bucket };
      // The minute may have rolled over between the calls; then the console shows a fresh bucket.
      if (Date.parse(b.minute.reset) / 1000 === rl.minute.reset) expect(b.minute.remaining).toBe(rl.minute.remaining);
      else expect(b.minute.remaining).toBe(30);
      expect(b.day.remaining).toBe(rl.day.remaining);
      expect(Date.parse(b.day.reset) / 1000).toBe(rl.day.reset);
    }
    expect(rl.day.remaining).toBe(496);
  });
});
