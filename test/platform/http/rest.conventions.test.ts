// Conventions generic HTTP tooling expects of /api/v1 (docs/rest.md#request-ids, docs/rest.md#listing):
// a valid inbound X-Request-ID is the request id the client sees (header, meta, error body, GraphQL
// extensions), an invalid one is replaced; it never makes a debit look applied; a valid traceparent is echoed
// and its trace id logged; the listing sends `Link: <…>; rel="next"` while there is a next page.
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { call } from '../../helpers/http.ts';
import { balanceUnits } from '../../helpers/ledger.ts';
import { type SignedInClient, seed, tag } from '../../helpers/testkit.ts';

let app: TestApp;
let c: SignedInClient;
const lines: Record<string, unknown>[] = [];
const sink = new Writable({
  write(chunk, _enc, done) {
    for (const l of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(l));
    done();
  },
});

const TRACE = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

beforeAll(async () => {
  app = await startTestApp({ log: pino({ level: 'info' }, sink) });
  c = await seed(app).client({ credits: 100, tier: 'enterprise' });
});
afterAll(async () => {
  await app?.close();
});

describe('X-Request-ID', () => {
  it('a valid inbound id is echoed as is, and is meta.request_id / request_id', async () => {
    const id = `shop-42:${tag()}.retry_1`;
    const ok = await call(app.url, '/api/v1/balance', { token: c.accessToken, headers: { 'x-request-id': id } });
    expect(ok.headers.get('x-request-id')).toBe(id);
    expect(ok.body.meta.request_id).toBe(id);
    const err = await call(app.url, '/api/v1/products/123', { token: c.accessToken, headers: { 'x-request-id': id } });
    expect(err.status).toBe(400);
    expect(err.body.request_id).toBe(id);
    const gql = await call(app.url, '/graphql', {
      body: { query: '{ balance { creditsRemaining } }' },
      token: c.accessToken,
      headers: { 'x-request-id': id },
    });
    expect(gql.headers.get('x-request-id')).toBe(id);
    expect(gql.body.extensions.billing.requestId).toBe(id);
  });

  it('an invalid one is replaced by ours (req_ + ULID)', async () => {
    for (const bad of ['', 'x'.repeat(129), 'has space', 'semi;colon', 'ünïcode', '<script>']) {
      const res = await call(app.url, '/api/v1/health', { headers: { 'x-request-id': bad } });
      expect(res.headers.get('x-request-id')).toMatch(/^req_[0-9A-HJKMNP-TV-Z]{26}$/);
    }
  });

  it('a reused id never makes a paid read free: each read is debited', async () => {
    const b = (await seed(app).product({ meta: 'full' })).barcode;
    const headers = { 'x-request-id': `same-id-${tag()}` };
    const before = await balanceUnits(app.db.sql, c.accountId);
    const one = await call(app.url, `/api/v1/products/${b}?include=product_meta`, { token: c.accessToken, headers });
    const two = await call(app.url, `/api/v1/products/${b}?include=product_meta`, { token: c.accessToken, headers });
    expect(one.status).toBe(200);
    expect(two.status).toBe(200);
    const each = BigInt(Math.round(Number(one.headers.get('x-credits-debited')) * 10_000));
    expect(each).toBeGreaterThan(0n);
    expect(two.headers.get('x-credits-debited')).toBe(one.headers.get('x-credits-debited'));
    expect(await balanceUnits(app.db.sql, c.accountId)).toBe(before - 2n * each);
  });

  it('an idempotent replay shows the id of the first answer', async () => {
    const b = (await seed(app).product({ meta: 'full' })).barcode;
    const key = `conv-replay-${tag()}-${tag()}-${tag()}`;
    const first = await call(app.url, `/api/v1/products/${b}?include=product_meta`, {
      token: c.accessToken,
      headers: { 'idempotency-key': key, 'x-request-id': 'first-attempt' },
    });
    const again = await call(app.url, `/api/v1/products/${b}?include=product_meta`, {
      token: c.accessToken,
      headers: { 'idempotency-key': key, 'x-request-id': 'second-attempt' },
    });
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.headers.get('x-request-id')).toBe('first-attempt');
    expect(again.body).toEqual(first.body);
  });
});

describe('traceparent', () => {
  it('a valid one is echoed and its trace id is in the access log line; an invalid one is dropped', async () => {
    const id = `trace-${tag()}`;
    const res = await call(app.url, '/api/v1/health', { headers: { traceparent: TRACE, 'x-request-id': id } });
    expect(res.headers.get('traceparent')).toBe(TRACE);
    await new Promise((r) => setTimeout(r, 50));
    const line = lines.find((l) => l.msg === 'request' && l.client_request_id === id);
    expect(line).toMatchObject({
      trace_id: '4bf92f3577b34da6a3ce929d0e0e4736',
      request_id: expect.stringMatching(/^req_/),
    });
    for (const bad of [
      '00-00000000000000000000000000000000-00f067aa0ba902b7-01',
      '00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01',
      'ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
      '00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01',
      '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra',
      'garbage',
    ]) {
      const r = await call(app.url, '/api/v1/health', { headers: { traceparent: bad } });
      expect(r.headers.get('traceparent')).toBeNull();
    }
  });
});

describe('Link rel="next" on the listing', () => {
  it('follows page by page to the end; the last page has none', async () => {
    const brand = `Link ${tag()}`;
    await seed(app).products(Array.from({ length: 5 }, () => ({ brand })));
    const seen: string[] = [];
    let path: string | null = `/api/v1/products?brand=${encodeURIComponent(brand)}&per_page=2`;
    let pages = 0;
    while (path) {
      const res = await call(app.url, path, { token: c.accessToken });
      expect(res.status).toBe(200);
      pages++;
      seen.push(...res.body.items.map((i: { barcode: string }) => i.barcode));
      const link = res.headers.get('link');
      if (res.body.page_info.next_cursor === null) {
        expect(link).toBeNull();
        path = null;
      } else {
        const m = /^<([^>]+)>; rel="next"$/.exec(link ?? '');
        expect(m).not.toBeNull();
        const next = new URL(m![1]);
        expect(next.origin).toBe(app.url);
        expect(next.searchParams.get('cursor')).toBe(res.body.page_info.next_cursor);
        expect(next.searchParams.get('brand')).toBe(brand);
        expect(next.searchParams.get('per_page')).toBe('2');
        path = next.pathname + next.search;
      }
    }
    expect(pages).toBe(3);
    expect(new Set(seen).size).toBe(5);
  });

  it('an offset page links to the cursor that continues it (page dropped)', async () => {
    const brand = `Offset ${tag()}`;
    await seed(app).products(Array.from({ length: 3 }, () => ({ brand })));
    const res = await call(app.url, `/api/v1/products?brand=${encodeURIComponent(brand)}&per_page=1&page=2`, {
      token: c.accessToken,
    });
    const next = new URL(/^<([^>]+)>/.exec(res.headers.get('link')!)![1]);
    expect(next.searchParams.has('page')).toBe(false);
    const third = await call(app.url, next.pathname + next.search, { token: c.accessToken });
    const direct = await call(app.url, `/api/v1/products?brand=${encodeURIComponent(brand)}&per_page=1&page=3`, {
      token: c.accessToken,
    });
    expect(third.body.items).toEqual(direct.body.items);
  });
});
