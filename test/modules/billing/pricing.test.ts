// Pricing (docs/rest.md#pricing, docs/admin.md#pricing): public GET with the active credit packages, admin PUT exact
// to 0.0001, and a change in effect on every node within 5 s (here: a second node of the same deployment bills the
// new rate).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../../helpers/app.ts';
import { call } from '../../helpers/http.ts';
import { type Deployment, startNodes } from '../../helpers/nodes.ts';
import { seed } from '../../helpers/testkit.ts';

let deployment: Deployment<TestApp>;
let a: TestApp;
let b: TestApp;
beforeAll(async () => {
  deployment = await startNodes(2);
  [a, b] = deployment.nodes;
});
afterAll(async () => {
  await deployment?.close();
});

const put = (actions: unknown) =>
  call(a.url, '/admin/v1/pricing', { method: 'PUT', token: a.adminToken, body: { actions } });

describe('pricing', () => {
  it('GET /api/v1/pricing needs no token and has the contract shape', async () => {
    const res = await call(a.url, '/api/v1/pricing');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      currency: 'credits',
      actions: {
        'products.get': 0.5,
        'products.get.per_image': 0.8,
        'products.head': 0.05,
        'products.bulk_check': 0.01,
        'products.list': 0,
      },
      updated_at: expect.any(String),
      meta: { request_id: res.headers.get('x-request-id'), credits_debited: 0 },
    });
    expect(
      res.body.tiers.map((t: { tier: string; per_minute: number; per_day: number }) => [
        t.tier,
        t.per_minute,
        t.per_day,
      ]),
    ).toEqual([
      ['free', 30, 500],
      ['standard', 60, 10_000],
      ['enterprise', 6_000, 1_000_000],
    ]);
    expect(res.headers.get('x-credits-remaining')).toBeNull();
  });

  it('lists the active credit packages, fewest credits first; an inactive one is not listed', async () => {
    const before = await call(a.url, '/api/v1/pricing');
    expect(before.body.packages).toEqual([
      { id: 'starter', credits: 1000, price: '10.00', currency: 'USD' },
      { id: 'growth', credits: 10000, price: '90.00', currency: 'USD' },
      { id: 'scale', credits: 100000, price: '800.00', currency: 'USD' },
    ]);
    // An operator's changes (the operator console writes these rows): a new package, and one retired.
    await a.db
      .sql`insert into credit_packages (package_id, credits, price, currency) values ('tiny', 1234500, 1.50, 'EUR')`;
    await a.db.sql`update credit_packages set active = false where package_id = 'growth'`;
    try {
      const after = await call(b.url, '/api/v1/pricing');
      expect(after.status).toBe(200);
      expect(after.body.packages).toEqual([
        { id: 'tiny', credits: 123.45, price: '1.50', currency: 'EUR' },
        { id: 'starter', credits: 1000, price: '10.00', currency: 'USD' },
        { id: 'scale', credits: 100000, price: '800.00', currency: 'USD' },
      ]);
    } finally {
      await a.db.sql`delete from credit_packages where package_id = 'tiny'`;
      await a.db.sql`update credit_packages set active = true where package_id = 'growth'`;
    }
  });

  it('PUT validates: admin only, known actions, >= 0, at most 4 decimals', async () => {
    expect(
      (await call(a.url, '/admin/v1/pricing', { method: 'PUT', body: { actions: { 'products.get': 1 } } })).status,
    ).toBe(401);
    for (const actions of [
      { 'products.fly': 1 },
      { 'products.get': 0.00001 },
      { 'products.get': -1 },
      { 'products.get': 'x' },
      {},
      null,
    ]) {
      const res = await put(actions);
      expect(res.status, JSON.stringify(actions)).toBe(400);
      expect(res.body.error).toBe('bad_request');
    }
    const bad = await put({ 'products.fly': 1 });
    expect(bad.body.message).toContain('products.fly');
  });

  it('a change is billed on every node within 5 s, exact to 0.0001', async () => {
    const client = await seed(b).client({ credits: 100, tier: 'enterprise' });
    const barcode = (await seed(a).product({ meta: 'full' })).barcode;
    const read = () => call(b.url, `/api/v1/products/${barcode}?include=product_meta`, { token: client.accessToken });
    expect((await read()).body.meta.credits_debited).toBe(0.5); // node b has cached the old rate now
    const res = await put({ 'products.get': '0.1234' });
    expect(res.status).toBe(200);
    expect(res.body.actions['products.get']).toBe(0.1234);
    const changedAt = Date.now();
    let seen = 0;
    while (Date.now() - changedAt < 5000) {
      seen = (await read()).body.meta.credits_debited;
      if (seen === 0.1234) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(seen).toBe(0.1234);
    const g = await call(b.url, '/graphql', { body: { query: '{ pricing { actions { action credits } } }' } });
    expect(g.body.data.pricing.actions).toContainEqual({ action: 'products.get', credits: 0.1234 });
    await put({ 'products.get': 0.5 });
  });
});
