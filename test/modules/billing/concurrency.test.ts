// No overdraft under concurrency: a balance that covers exactly k of n concurrent paid reads (REST and
// GraphQL mixed) yields exactly k successes, the rest insufficient_credits, and a ledger that explains
// the balance to the unit (no lost or doubled rows).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { call } from '../../helpers/http.ts';
import { balanceUnits } from '../../helpers/ledger.ts';
import { seed } from '../../helpers/testkit.ts';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app?.close();
});

describe('concurrent paid reads against one balance', () => {
  it('exactly k of n succeed; balance = start - ledger sum >= 0', async () => {
    const n = 240;
    const k = 97;
    const start = 5000n * BigInt(k); // each read costs products.get = 0.5
    const client = await seed(app).client({ credits: Number(start) / 10_000, tier: 'enterprise' });
    const barcode = (await seed(app).product({ meta: 'full', imageRows: ['front'] })).barcode;
    const requests = Array.from({ length: n }, (_, i) =>
      (i % 2
        ? call(app.url, `/api/v1/products/${barcode}?include=product_meta`, { token: client.accessToken })
        : call(app.url, '/graphql', {
            token: client.accessToken,
            body: {
              query: 'query($b: Barcode!) { product(barcode: $b) { productMeta { brand } } }',
              variables: { b: barcode },
            },
          })
      ).then((res) => ({ res, rest: i % 2 === 1 })),
    );
    const results = await Promise.all(requests);
    const ok = results.filter(({ res }) => res.status === 200);
    const refused = results.filter(({ res }) => res.status === 402);
    expect(ok).toHaveLength(k);
    expect(refused).toHaveLength(n - k);
    for (const { res, rest } of refused) {
      if (rest) expect(res.body.error).toBe('insufficient_credits');
      else expect(res.body.errors[0].extensions.code).toBe('INSUFFICIENT_CREDITS');
    }
    for (const { res, rest } of ok) {
      if (rest) expect(res.body.product_meta.brand).toEqual(expect.any(String));
      else expect(res.body.data.product.productMeta.brand).toEqual(expect.any(String));
    }
    expect(ok.some((r) => r.rest) && ok.some((r) => !r.rest)).toBe(true);

    const balance = await balanceUnits(app.db.sql, client.accountId);
    const rows = await app.db.sql<
      { request_id: string; amount: bigint }[]
    >`select request_id, amount from credit_ledger where account_id = ${client.accountId} and kind = 'debit'`;
    const [grant] = await app.db.sql<
      { s: bigint }[]
    >`select coalesce(sum(amount), 0)::bigint as s from credit_ledger where account_id = ${client.accountId} and kind <> 'debit'`;
    expect(balance).toBe(0n);
    expect(balance).toBe(grant.s + rows.reduce((s, r) => s + r.amount, 0n));
    expect(rows).toHaveLength(k);
    expect(new Set(rows.map((r) => r.request_id))).toEqual(
      new Set(ok.map(({ res }) => res.headers.get('x-request-id'))),
    );
  }, 60_000);
});
