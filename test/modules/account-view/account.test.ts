// GET /api/v1/balance, /account and /usage: spend by UTC day and month from the rollup, the account and client
// view with the live rate-limit budget, and usage grouped by client, day and action for invoicing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { call } from '../../helpers/http.ts';
import { useStrictOpenApi } from '../../helpers/openapi.ts';
import { seed } from '../../helpers/testkit.ts';

// Every response these tests see must match schema/openapi.yaml.
useStrictOpenApi();

describe('account endpoints', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => {
    await app.close();
  });

  /** A debit as the billing path writes it (one ledger row, lines per action), at a chosen time. */
  async function debit(accountId: string, clientId: string, at: string, lines: { action: string; amount: number }[]) {
    const total = lines.reduce((s, l) => s + l.amount, 0);
    await app.db.sql.begin(async (tx) => {
      const [a] = await tx<
        { balance: bigint }[]
      >`update accounts set balance = balance - ${total} where account_id = ${accountId} returning balance`;
      await tx`insert into credit_ledger (account_id, client_id, request_id, kind, amount, balance_after, lines, created_at)
        values (${accountId}, ${clientId}, 'req_test', 'debit', ${-total}, ${String(a.balance)}::bigint,
                ${JSON.stringify(lines.map((l) => ({ ...l, units: 1, rate: l.amount })))}::text::jsonb, ${at}::timestamptz)`;
    });
  }

  it('balance: credits remaining, spent today and this month (UTC), including a real paid read', async () => {
    const c = await seed(app).client({ credits: 100 });
    const now = new Date();
    const today = now.toISOString().slice(0, 10);
    const monthStart = `${today.slice(0, 8)}01T00:00:00Z`;
    const lastMonth = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 0, 23, 59, 59)).toISOString();
    await debit(c.accountId, c.clientId, lastMonth, [{ action: 'products.get', amount: 70_000 }]); // 7: not this month
    await debit(c.accountId, c.clientId, monthStart, [{ action: 'products.head', amount: 1_234 }]); // 0.1234: this month
    const p = await seed(app).product();
    const read = await call(app.url, `/api/v1/products/${p.barcode}?include=product_meta`, { token: c.accessToken });
    expect(read.status).toBe(200);
    expect(read.body.meta.credits_debited).toBe(0.5);

    const r = await call(app.url, '/api/v1/balance', { token: c.accessToken });
    expect(r.status).toBe(200);
    const sameDayAsMonthStart = today.endsWith('-01');
    expect(r.body).toEqual({
      credits_remaining: 92.3766,
      spent_today: sameDayAsMonthStart ? 0.6234 : 0.5,
      spent_this_month: 0.6234,
      as_of: expect.any(String),
      meta: { request_id: r.headers.get('x-request-id'), credits_debited: 0, credits_remaining: 92.3766 },
    });
    expect(r.headers.get('x-credits-remaining')).toBe('92.3766');
    expect(Math.abs(Date.parse(r.body.as_of) - Date.now())).toBeLessThan(5000);
  });

  it('account: the account, this client, and the live budget of both buckets', async () => {
    const c = await seed(app).client({
      tier: 'free',
      scope: { brands: ['Osem'] },
      ip_allowlist: ['127.0.0.1/32', '::1/128'],
      limits: { per_day: 400 },
    });
    const r = await call(app.url, '/api/v1/account', { token: c.accessToken });
    expect(r.status).toBe(200);
    expect(r.body.account).toEqual({
      account_id: c.accountId,
      name: expect.any(String),
      credits_remaining: 10,
      created_at: expect.any(String),
    });
    expect(r.body.client).toEqual({
      client_id: c.clientId,
      name: expect.any(String),
      tier: 'free',
      mode: 'live',
      ip_allowlist: ['127.0.0.1/32', '::1/128'],
      scope: { brands: ['Osem'], ownerships: null },
      expires_at: null,
      created_at: expect.any(String),
    });
    const { minute, day } = r.body.rate_limits;
    expect(minute).toEqual({
      limit: 30,
      remaining: Number(r.headers.get('x-ratelimit-remaining-minute')),
      reset: expect.any(Number),
      window_seconds: 60,
    });
    expect(day).toEqual({
      limit: 400,
      remaining: Number(r.headers.get('x-ratelimit-remaining-day')),
      reset: Math.ceil(Date.now() / 86_400_000) * 86_400,
      window_seconds: 86_400,
    });
    // The key exchange and this request.
    expect(day.remaining).toBe(398);
  });

  it('usage: by client, day and action, with totals; client names for the invoice', async () => {
    const acct = await seed(app).account({ credits: 50 });
    const c1 = await (await acct.client()).signIn();
    // A second client of the same account.
    const c2 = (await acct.client({ name: 'Store 2' })).clientId;
    const d1 = '2026-03-01T10:00:00Z';
    const d2 = '2026-03-02T23:59:59Z';
    await debit(c1.accountId, c1.clientId, d1, [
      { action: 'products.get', amount: 5000 },
      { action: 'products.get.per_image', amount: 8000 },
    ]);
    await debit(c1.accountId, c1.clientId, d2, [{ action: 'products.get', amount: 5000 }]);
    await debit(c1.accountId, c2, d2, [{ action: 'products.head', amount: 500 }]);
    await debit(c1.accountId, c2, '2026-04-01T00:00:00Z', [{ action: 'products.head', amount: 500 }]); // outside the range
    const get = (qs: string) =>
      call(app.url, `/api/v1/usage?from=2026-03-01&to=2026-03-31${qs}`, { token: c1.accessToken });

    const byClient = await get('');
    expect(byClient.status, JSON.stringify(byClient.body)).toBe(200);
    expect(byClient.body.group_by).toEqual(['client']);
    expect(byClient.body.totals).toEqual({ requests: 3, credits: 1.85 });
    expect(byClient.body.rows).toEqual(
      expect.arrayContaining([
        { client_id: c1.clientId, client_name: expect.stringContaining('test client'), requests: 2, credits: 1.8 },
        { client_id: c2, client_name: 'Store 2', requests: 1, credits: 0.05 },
      ]),
    );
    expect(byClient.body.rows).toHaveLength(2);

    const byDay = await get('&group_by=day');
    expect(byDay.body.rows).toEqual([
      { day: '2026-03-01', requests: 1, credits: 1.3 },
      { day: '2026-03-02', requests: 2, credits: 0.55 },
    ]);

    const byAction = await get('&group_by=action');
    expect(byAction.status, JSON.stringify(byAction.body)).toBe(200);
    expect(byAction.body.rows).toEqual(
      expect.arrayContaining([
        { action: 'products.get', units: 2, requests: 2, credits: 1 },
        { action: 'products.get.per_image', units: 1, requests: 1, credits: 0.8 },
        { action: 'products.head', units: 1, requests: 1, credits: 0.05 },
      ]),
    );
    expect(byAction.body.totals).toEqual({ requests: 3, credits: 1.85 });

    const both = await get('&group_by=client,action');
    expect(both.body.rows).toHaveLength(3);
    expect(both.body.rows).toContainEqual({
      client_id: c2,
      client_name: 'Store 2',
      action: 'products.head',
      units: 1,
      requests: 1,
      credits: 0.05,
    });

    for (const [qs, param] of [
      ['group_by=week', 'group_by'],
      ['from=2026-02-30', 'from'],
      ['from=2026-03-01&to=2025-01-01', 'to'],
      ['from=2024-01-01&to=2026-01-01', 'to'],
      ['colour=1', 'colour'],
      ['group_by=day,day', 'group_by'],
    ]) {
      const bad = await call(app.url, `/api/v1/usage?${qs}`, { token: c1.accessToken });
      expect(bad.status, qs).toBe(400);
      expect(bad.body.message).toContain(param);
    }
  });
});
