// POST /api/v1/products/bulk-check (docs/rest.md#bulk-check): request order, per-row invalid barcodes (not billed),
// 1..500, and Idempotency-Key replays (same body: stored answer, no charge; other body: 409; concurrent
// first uses: one charge).

import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { call } from '../../helpers/http.ts';
import { balanceUnits, credits, ledgerRows } from '../../helpers/ledger.ts';
import { barcode, type SignedInClient, seed } from '../../helpers/testkit.ts';

let app: TestApp;
let client: SignedInClient;
let a: string;
let b: string;

const bulk = (barcodes: unknown, headers: Record<string, string> = {}, token = client.accessToken) =>
  call(app.url, '/api/v1/products/bulk-check', { body: { barcodes }, token, headers });
const key = () => `idem-${randomBytes(12).toString('hex')}`;

beforeAll(async () => {
  app = await startTestApp();
  client = await seed(app).client({ credits: 100, tier: 'enterprise' });
  a = (await seed(app).product({ meta: 'full', imageRows: ['front', 'back'] })).barcode;
  b = (await seed(app).product({ meta: 'full' })).barcode;
});
afterAll(async () => {
  await app?.close();
});

describe('bulk-check', () => {
  it('answers in request order, reports invalid rows, bills each valid barcode', async () => {
    const missing = barcode(13);
    const before = await balanceUnits(app.db.sql, client.accountId);
    const res = await bulk([b, 'abc', a, missing, '12345678']);
    expect(res.status).toBe(200);
    expect(res.body.results).toEqual([
      { barcode: b, exists: true, variants: [] },
      { barcode: 'abc', exists: false, variants: [], error: 'invalid_barcode' },
      { barcode: a, exists: true, variants: ['front', 'back'] },
      { barcode: missing, exists: false, variants: [] },
      { barcode: '12345678', exists: false, variants: [], error: 'invalid_barcode' },
    ]);
    expect(res.body.meta.credits_debited).toBe(0.03);
    expect(res.headers.get('x-credits-debited')).toBe('0.03');
    expect(await balanceUnits(app.db.sql, client.accountId)).toBe(before - 300n);
    // One ledger line explains the whole check: units = valid barcodes, in request order.
    const rows = await ledgerRows(app.db.sql, res.body.meta.request_id);
    expect(rows.map((r) => [r.kind, r.amount])).toEqual([['debit', -300n]]);
    expect(rows[0].lines).toEqual([
      { action: 'products.bulk_check', barcodes: [b, a, missing.padStart(14, '0')], units: 3, rate: 100, amount: 300 },
    ]);
  });

  it('1..500 barcodes; anything else is 400 bad_request and free', async () => {
    expect((await bulk([])).status).toBe(400);
    const big = await bulk(Array.from({ length: 501 }, () => barcode(13)));
    expect(big.status).toBe(400);
    expect(big.body.error).toBe('bad_request');
    expect((await bulk('nope')).body.error).toBe('bad_request');
    const ok = await bulk(Array.from({ length: 500 }, () => barcode(13)));
    expect(ok.status).toBe(200);
    expect(ok.body.meta.credits_debited).toBe(5);
  });

  it('replays with the same key and body: stored answer, Idempotency-Replayed: 1, no charge', async () => {
    const k = key();
    const first = await bulk([a, b], { 'idempotency-key': k });
    expect(first.status).toBe(200);
    expect(first.headers.get('idempotency-replayed')).toBeNull();
    const balance = await balanceUnits(app.db.sql, client.accountId);
    const again = await bulk([a, b], { 'idempotency-key': k });
    expect(again.status).toBe(200);
    expect(again.headers.get('idempotency-replayed')).toBe('1');
    expect(again.body).toEqual(first.body);
    expect(again.headers.get('x-credits-debited')).toBe('0');
    expect(again.headers.get('x-credits-remaining')).toBe(String(credits(balance)));
    expect(await balanceUnits(app.db.sql, client.accountId)).toBe(balance);

    const other = await bulk([a], { 'idempotency-key': k });
    expect(other.status).toBe(409);
    expect(other.body.error).toBe('idempotency_key_mismatch');
    expect((await bulk([a], { 'idempotency-key': 'short' })).status).toBe(400);
  });

  it('concurrent first uses of one key charge once', async () => {
    const k = key();
    const before = await balanceUnits(app.db.sql, client.accountId);
    const all = await Promise.all(
      Array.from({ length: 12 }, () => bulk([a, b, barcode(8)].slice(0, 2), { 'idempotency-key': k })),
    );
    expect(all.every((r) => r.status === 200)).toBe(true);
    expect(all.filter((r) => r.headers.get('idempotency-replayed') === '1')).toHaveLength(11);
    expect(await balanceUnits(app.db.sql, client.accountId)).toBe(before - 200n);
    const [{ n }] = await app.db.sql<
      { n: number }[]
    >`select count(*)::int as n from credit_ledger where account_id = ${client.accountId} and request_id = ${all.find((r) => !r.headers.get('idempotency-replayed'))!.headers.get('x-request-id')}`;
    expect(n).toBe(1);
  });

  it('a failed first use (402) releases the key', async () => {
    const poor = await seed(app).client({ credits: '0.01', tier: 'enterprise' });
    const k = key();
    const res = await bulk([a, b], { 'idempotency-key': k }, poor.accessToken);
    expect(res.status).toBe(402);
    const topUp = await call(app.url, `/admin/v1/accounts/${poor.accountId}/credits`, {
      token: app.adminToken,
      body: { amount: 1, reason: 'test' },
      headers: { 'idempotency-key': key() },
    });
    expect(topUp.status).toBeLessThan(300);
    const retry = await bulk([a, b], { 'idempotency-key': k }, poor.accessToken);
    expect(retry.status).toBe(200);
    expect(retry.headers.get('idempotency-replayed')).toBeNull();
    expect(retry.body.meta.credits_debited).toBe(0.02);
  });
});
