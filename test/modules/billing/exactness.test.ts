// Exact at any size (docs/billing.md#units-and-exactness): credits past 2^53 units (~9·10^11 credits), where
// a double loses the 0.0001 steps, are still exact in REST bodies, headers, GraphQL and the admin API; a grant
// past the balance cap is a 400 and changes nothing.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { credits, exactJson, unitsToString } from '../../../src/kernel/credits.ts';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { call } from '../../helpers/http.ts';
import { seed } from '../../helpers/testkit.ts';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app.close();
});

const grant = (accountId: string, amount: string) =>
  call(app.url, `/admin/v1/accounts/${accountId}/credits`, {
    token: app.adminToken,
    body: { amount, reason: 'big' },
    headers: { 'idempotency-key': `exact-${randomBytes(12).toString('hex')}` },
  });

/** The raw response text: JSON.parse would round the number we want to read exactly. */
async function raw(path: string, init: RequestInit = {}): Promise<{ text: string; headers: Headers; status: number }> {
  const res = await fetch(app.url + path, init);
  return { text: await res.text(), headers: res.headers, status: res.status };
}

describe('credits exact at any size', () => {
  it('unitsToString and exactJson use integer arithmetic only', () => {
    expect(unitsToString(110000000010814289n)).toBe('11000000001081.4289');
    expect(unitsToString(1n)).toBe('0.0001');
    expect(unitsToString(-26000n)).toBe('-2.6');
    expect(exactJson({ a: credits(9999999999999999n), b: credits(0n) })).toBe('{"a":999999999999.9999,"b":0}');
  });

  it('11 grants of 999999999999.9999: every output shows the exact balance', async () => {
    const c = await seed(app).client({ credits: 0 });
    let last;
    for (let i = 0; i < 11; i++) last = await grant(c.accountId, '999999999999.9999');
    expect(last!.status).toBe(200);
    const expected = '10999999999999.9989';
    const auth = { authorization: `Bearer ${c.accessToken}` };

    const adminView = await raw(`/admin/v1/accounts/${c.accountId}`, {
      headers: { authorization: `Bearer ${app.adminToken}` },
    });
    expect(adminView.text).toContain(`"credits_remaining":${expected}`);
    const balance = await raw('/api/v1/balance', { headers: auth });
    expect(balance.text).toContain(`"credits_remaining":${expected}`);
    expect(balance.headers.get('x-credits-remaining')).toBe(expected);
    const gql = await raw('/graphql', {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ balance { creditsRemaining } }' }),
    });
    expect(gql.text).toContain(`"creditsRemaining":${expected}`);
    const [{ sum }] = await app.db.sql<
      { sum: string }[]
    >`select sum(amount)::text as sum from credit_ledger where account_id = ${c.accountId}`;
    expect(sum).toBe('109999999999999989');
  });

  it('a grant past the cap of 10^14 credits is 400 and changes nothing', async () => {
    const c = await seed(app).client({ credits: 0 });
    // 100 grants of 999999999999.9999 = 99999999999999.99 credits: under the cap.
    for (let i = 0; i < 100; i++) expect((await grant(c.accountId, '999999999999.9999')).status).toBe(200);
    const over = await grant(c.accountId, '1');
    expect(over.status).toBe(400);
    expect(over.body).toMatchObject({ error: 'bad_request' });
    const view = await raw(`/admin/v1/accounts/${c.accountId}`, {
      headers: { authorization: `Bearer ${app.adminToken}` },
    });
    expect(view.text).toContain('"credits_remaining":99999999999999.99');
    const ok = await grant(c.accountId, '0.01');
    expect(ok.status).toBe(200);
    const full = await raw(`/admin/v1/accounts/${c.accountId}`, {
      headers: { authorization: `Bearer ${app.adminToken}` },
    });
    expect(full.text).toContain('"credits_remaining":100000000000000');
  }, 60_000);
});
