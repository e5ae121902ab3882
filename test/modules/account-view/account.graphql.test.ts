// GraphQL balance / account / usage beside GET /api/v1/balance, /account and /usage: the same numbers, the
// live rate-limit budget counting the operation itself, free, errors as upper-snake REST codes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { call } from '../../helpers/http.ts';
import { type SignedInClient, seed } from '../../helpers/testkit.ts';

let app: TestApp;
let c: SignedInClient;
beforeAll(async () => {
  app = await startTestApp();
  c = await seed(app).client({ credits: 50, tier: 'standard' });
  // Some spend to report: one paid REST read and one paid GraphQL read.
  const p = await seed(app).product({ meta: 'full', imageRows: ['front'] });
  expect(
    (await call(app.url, `/api/v1/products/${p.barcode}?include=product_meta`, { token: c.accessToken })).status,
  ).toBe(200);
  const g = await gql(c.accessToken, 'query($b: Barcode!) { product(barcode: $b) { imageMeta { front { width } } } }', {
    b: p.barcode,
  });
  expect(g.body.extensions.billing.creditsDebited).toBe(0.5);
});
afterAll(async () => {
  await app?.close();
});

const gql = (token: string | undefined, query: string, variables: Record<string, unknown> = {}) =>
  call(app.url, '/graphql', { token, body: { query, variables } });

describe('balance, account and usage over GraphQL', () => {
  it('balance agrees with GET /api/v1/balance and is free', async () => {
    const rest = await call(app.url, '/api/v1/balance', { token: c.accessToken });
    const g = await gql(c.accessToken, '{ balance { creditsRemaining spentToday spentThisMonth asOf } }');
    expect(g.body.errors).toBeUndefined();
    expect(g.body.data.balance).toEqual({
      creditsRemaining: rest.body.credits_remaining,
      spentToday: rest.body.spent_today,
      spentThisMonth: rest.body.spent_this_month,
      asOf: expect.any(String),
    });
    expect(g.body.data.balance.creditsRemaining).toBe(49);
    expect(g.body.data.balance.spentToday).toBe(1);
    expect(g.headers.get('x-credits-debited')).toBe('0');
    expect(g.headers.get('x-credits-remaining')).toBe('49');
    expect(g.body.extensions.billing).toMatchObject({ creditsDebited: 0, creditsRemaining: 49 });
  });

  it('account agrees with GET /api/v1/account; rateLimits is the live budget including this operation', async () => {
    const rest = await call(app.url, '/api/v1/account', { token: c.accessToken });
    const g = await gql(
      c.accessToken,
      `{ account {
      account { accountId name creditsRemaining createdAt }
      client { clientId name tier ipAllowlist scope { brands ownerships } expiresAt createdAt }
      rateLimits { minute { limit remaining reset windowSeconds } day { limit remaining reset windowSeconds } }
    } }`,
    );
    expect(g.body.errors).toBeUndefined();
    const a = g.body.data.account;
    expect(a.account).toEqual({
      accountId: rest.body.account.account_id,
      name: rest.body.account.name,
      creditsRemaining: rest.body.account.credits_remaining,
      createdAt: rest.body.account.created_at,
    });
    expect(a.client).toEqual({
      clientId: c.clientId,
      name: rest.body.client.name,
      tier: 'STANDARD',
      ipAllowlist: rest.body.client.ip_allowlist,
      scope: rest.body.client.scope,
      expiresAt: rest.body.client.expires_at,
      createdAt: rest.body.client.created_at,
    });
    const rm = rest.body.rate_limits.minute;
    expect(a.rateLimits.minute.limit).toBe(60);
    expect(a.rateLimits.day.limit).toBe(10_000);
    // The GraphQL operation came right after the REST request: one more point counted (same minute window
    // unless it just rolled over, when the count restarts).
    if (a.rateLimits.minute.reset === rm.reset) expect(a.rateLimits.minute.remaining).toBe(rm.remaining - 1);
    expect(a.rateLimits.day.remaining).toBe(rest.body.rate_limits.day.remaining - 1);
    expect(a.rateLimits.minute.windowSeconds).toBe(rm.window_seconds);
    expect(String(a.rateLimits.minute.remaining)).toBe(g.headers.get('x-ratelimit-remaining-minute'));
    expect(String(a.rateLimits.day.remaining)).toBe(g.headers.get('x-ratelimit-remaining-day'));
  });

  it('usage agrees with GET /api/v1/usage for every grouping', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const groupings: string[][] = [['client'], ['day'], ['action'], ['client', 'day', 'action']];
    for (const groupBy of groupings) {
      const rest = await call(app.url, `/api/v1/usage?from=${today}&to=${today}&group_by=${groupBy.join(',')}`, {
        token: c.accessToken,
      });
      expect(rest.status).toBe(200);
      const g = await gql(
        c.accessToken,
        `query($from: String, $to: String, $g: [UsageDimension!]) {
        usage(from: $from, to: $to, groupBy: $g) { from to groupBy currency rows { clientId clientName day action units requests credits } totals { requests credits } } }`,
        { from: today, to: today, g: groupBy.map((x) => x.toUpperCase()) },
      );
      expect(g.body.errors).toBeUndefined();
      const u = g.body.data.usage;
      expect(u).toMatchObject({
        from: rest.body.from,
        to: rest.body.to,
        currency: 'credits',
        totals: rest.body.totals,
      });
      expect(u.groupBy.map((x: string) => x.toLowerCase())).toEqual(rest.body.group_by);
      const asRest = u.rows.map((r: Record<string, unknown>) =>
        Object.fromEntries(
          Object.entries({
            client_id: r.clientId,
            client_name: r.clientName,
            day: r.day,
            action: r.action,
            units: r.units,
            requests: r.requests,
            credits: r.credits,
          }).filter(([k, v]) => v !== null || (k === 'client_name' && r.clientId !== null)),
        ),
      );
      expect(asRest).toEqual(rest.body.rows);
    }
    expect(
      (await call(app.url, `/api/v1/usage?from=${today}&to=${today}`, { token: c.accessToken })).body.totals,
    ).toEqual({ requests: 2, credits: 1 });
  });

  it('errors carry the REST codes in upper snake case', async () => {
    const bad = await gql(c.accessToken, '{ usage(from: "2026-02-31") { totals { requests } } }');
    expect(bad.body.errors[0].extensions.code).toBe('BAD_REQUEST');
    expect(bad.body.errors[0].path).toEqual(['usage']);
    const repeated = await gql(c.accessToken, '{ usage(groupBy: [DAY, DAY]) { totals { requests } } }');
    expect(repeated.body.errors[0].extensions.code).toBe('BAD_REQUEST');
    const anon = await gql(undefined, '{ balance { creditsRemaining } }');
    expect(anon.status).toBe(401);
    expect(anon.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    const forged = await gql('not.a.token', '{ account { client { clientId } } }');
    expect(forged.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
  });
});
