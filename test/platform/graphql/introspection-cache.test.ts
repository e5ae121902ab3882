// The introspection cache (docs/graphql-limits.md#introspection-cache) against the running service: an
// introspection-only operation is executed once and then served from memory with the same data and fresh
// per-request extensions; anything else (a non-introspection field beside it, an error, a price quote, another
// door, a persisted-only server) is never answered from it; the store is bounded by entries and characters.
import { getIntrospectionQuery } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  IntrospectionStore,
  introspectionCacheCounts,
  MAX_CACHED_RESULTS,
} from '../../../src/platform/graphql/introspection-cache.ts';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { type SignedInClient, seed } from '../../helpers/testkit.ts';

let app: TestApp;
let client: SignedInClient;

interface Answer {
  status: number;
  text: string;
  body: any;
}

async function post(
  path: string,
  body: unknown,
  opts: { token?: string; headers?: Record<string, string>; url?: string } = {},
): Promise<Answer> {
  const headers: Record<string, string> = { 'content-type': 'application/json', ...opts.headers };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  const res = await fetch(`${opts.url ?? app.url}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, text, body: JSON.parse(text) };
}
const gql = (query: string, variables?: unknown, opts: Parameters<typeof post>[2] = {}) =>
  post('/graphql', { query, variables }, opts);

/** What one request did to the cache: how many hits and misses it added. */
async function counted<T>(f: () => Promise<T>): Promise<{ out: T; hits: number; misses: number }> {
  const before = introspectionCacheCounts();
  const out = await f();
  const after = introspectionCacheCounts();
  return { out, hits: after.hits - before.hits, misses: after.misses - before.misses };
}

/** A document no other test sends, so its first request is always a miss. */
let n = 0;
const fresh = (body = '__typename') => `query Fresh${++n} { ${body} }`;

beforeAll(async () => {
  app = await startTestApp({ env: { RATE_LIMIT_IP_PER_MINUTE: '100000', RATE_LIMIT_MINUTE_WINDOW_SEC: '3600' } });
  client = await seed(app).client({ credits: 10, tier: 'enterprise' });
});
afterAll(async () => {
  await app?.close();
});

describe('introspection-only operations are executed once', () => {
  it('the standard introspection query: the second answer comes from the cache, with the same data', async () => {
    const query = getIntrospectionQuery();
    const first = await counted(() => gql(query));
    expect(first.out.status).toBe(200);
    expect(first.misses).toBe(1);
    const second = await counted(() => gql(query));
    expect(second.hits).toBe(1);
    expect(second.misses).toBe(0);
    expect(second.out.body.data).toEqual(first.out.body.data);
    expect(second.out.body.data.__schema.queryType.name).toBe('Query');
    // The served JSON is the first answer's data, byte for byte; extensions are the request's own.
    const dataText = (t: string) => t.slice(0, t.indexOf(',"extensions":'));
    expect(dataText(second.out.text)).toBe(dataText(first.out.text));
    expect(second.out.body.extensions.billing.requestId).not.toBe(first.out.body.extensions.billing.requestId);
    expect(second.out.body.extensions.billing.creditsDebited).toBe(0);
    expect(second.out.body.extensions.rateLimit.minute).toBeDefined();
  });

  it('a signed-in client gets its own balance and buckets on a cached answer', async () => {
    const q = fresh('__schema { queryType { name } }');
    await gql(q);
    const signed = await counted(() => gql(q, undefined, { token: client.accessToken }));
    expect(signed.hits).toBe(1);
    expect(signed.out.body.data).toEqual({ __schema: { queryType: { name: 'Query' } } });
    expect(signed.out.body.extensions.billing.creditsRemaining).toBe(10);
    expect(signed.out.body.extensions.rateLimit.day).toBeDefined();
  });

  it('variables and the operation name are part of the key', async () => {
    const q = 'query T($n: String!) { __type(name: $n) { name kind } } query U { __typename }';
    const product = await counted(() =>
      post('/graphql', { query: q, operationName: 'T', variables: { n: 'Product' } }),
    );
    expect(product.out.body.data).toEqual({ __type: { name: 'Product', kind: 'OBJECT' } });
    const queryType = await counted(() =>
      post('/graphql', { query: q, operationName: 'T', variables: { n: 'Query' } }),
    );
    expect(queryType.misses).toBe(1);
    expect(queryType.out.body.data).toEqual({ __type: { name: 'Query', kind: 'OBJECT' } });
    const other = await counted(() => post('/graphql', { query: q, operationName: 'U' }));
    expect(other.misses).toBe(1);
    expect(other.out.body.data).toEqual({ __typename: 'Query' });
    const again = await counted(() => post('/graphql', { query: q, operationName: 'T', variables: { n: 'Product' } }));
    expect(again.hits).toBe(1);
    expect(again.out.body.data).toEqual(product.out.body.data);
  });

  it('@skip/@include on introspection fields: their variables are in the key', async () => {
    const q = 'query($s: Boolean!) { __typename @skip(if: $s) __schema { queryType { name } } }';
    const shown = await gql(q, { s: false });
    const skipped = await gql(q, { s: true });
    expect(shown.body.data).toEqual({ __typename: 'Query', __schema: { queryType: { name: 'Query' } } });
    expect(skipped.body.data).toEqual({ __schema: { queryType: { name: 'Query' } } });
    expect((await gql(q, { s: false })).body.data).toEqual(shown.body.data);
  });
});

describe('never served from the cache', () => {
  it('an operation that selects any other root field, directly or through a fragment', async () => {
    for (const q of [
      '{ __typename pricing { currency } }',
      'query { ...P } fragment P on Query { __typename pricing { currency } }',
      '{ ... on Query { __schema { queryType { name } } } pricing { currency } }',
    ]) {
      for (let i = 0; i < 2; i++) {
        const r = await counted(() => gql(q));
        expect(r.out.body.data.pricing).toEqual({ currency: 'credits' });
        expect(r.hits + r.misses).toBe(0);
      }
    }
  });

  it('an answer with errors is not kept', async () => {
    const q = `query Bad${++n}($n: String!) { __type(name: $n) { name } }`;
    for (let i = 0; i < 2; i++) {
      const r = await counted(() => gql(q, { n: 5 }, { headers: { accept: 'application/json' } }));
      expect(r.out.body.errors[0].message).toMatch(/got invalid value 5/);
      expect(r.misses).toBe(1);
      expect(r.hits).toBe(0);
    }
  });

  it('an operation over a limit is refused every time, never offered to the cache', async () => {
    // Over the alias limit inside __schema: refused before execution, so never offered to the cache.
    const q = `{ __schema { ${Array.from({ length: 101 }, (_, i) => `a${i}: queryType { name }`).join(' ')} } }`;
    for (let i = 0; i < 2; i++) {
      const r = await counted(() => gql(q));
      expect(r.out.status).toBe(400);
      expect(r.out.body.errors[0].message).toMatch(/more than 100 aliases/);
      expect(r.hits + r.misses).toBe(0);
    }
  });

  it('a price quote answers data: null, cached document or not', async () => {
    const q = fresh('__schema { queryType { name } }');
    await gql(q);
    const quote = await counted(() => gql(q, undefined, { headers: { 'x-price-quote': '1' } }));
    expect(quote.out.body.data).toBeNull();
    expect(quote.out.body.extensions.billing.quote).toBe(true);
    expect(quote.hits).toBe(0);
  });

  it('another door keeps its own store: /admin/graphql executes what /graphql has cached', async () => {
    const q = fresh('__schema { queryType { name } }');
    expect((await counted(() => gql(q))).misses).toBe(1);
    expect((await counted(() => gql(q))).hits).toBe(1);
    const admin = await counted(() => post('/admin/graphql', { query: q }));
    expect(admin.out.body.data).toEqual({ __schema: { queryType: { name: 'Query' } } });
    expect(admin.misses).toBe(1);
    expect(admin.hits).toBe(0);
  });

  it('a persisted-only server refuses the document even when another server has it cached', async () => {
    const q = fresh('__schema { queryType { name } }');
    await gql(q);
    expect((await counted(() => gql(q))).hits).toBe(1);
    const strict = await startTestApp({ db: app.db, env: { PERSISTED_OPERATIONS_ONLY: '1' } });
    try {
      const refused = await counted(() =>
        gql(q, undefined, { url: strict.url, headers: { accept: 'application/graphql-response+json' } }),
      );
      expect(refused.out.status).toBe(400);
      expect(refused.out.body.errors[0].extensions.code).toBe('PERSISTED_QUERY_ONLY');
      expect(refused.hits + refused.misses).toBe(0);
    } finally {
      await strict.close();
    }
  });
});

describe('bounds', () => {
  it(`over HTTP: after ${MAX_CACHED_RESULTS} other documents, the first is executed again`, async () => {
    const first = fresh();
    await gql(first);
    expect((await counted(() => gql(first))).hits).toBe(1);
    for (let i = 0; i < MAX_CACHED_RESULTS; i++) await gql(fresh());
    expect((await counted(() => gql(first))).misses).toBe(1);
  });

  it('the store: least recently used goes first, by entries and by characters; an oversized result is not kept', () => {
    const store = new IntrospectionStore(3, 400);
    const data = (chars: number) => ({ s: 'x'.repeat(chars - 8) }); // JSON {"s":"…"} is `chars` long
    expect(store.set('a', data(50))).toBe(true);
    expect(store.set('b', data(50))).toBe(true);
    expect(store.set('c', data(50))).toBe(true);
    store.get('a'); // now the most recently used
    expect(store.set('d', data(50))).toBe(true);
    expect(store.get('b')).toBeUndefined();
    expect(store.size).toBe(3);
    expect(store.totalChars).toBe(150);
    // Over a quarter of the character budget: not kept, nothing evicted.
    expect(store.set('big', data(101))).toBe(false);
    expect(store.size).toBe(3);
    // Characters: three of 100 fit in 400 with nothing else; the older ones go to make room.
    store.set('e', data(100));
    store.set('f', data(100));
    store.set('g', data(100));
    expect(store.totalChars).toBeLessThanOrEqual(400);
    expect(store.get('a')).toBeUndefined();
    expect(store.get('g')?.json).toBe(JSON.stringify(data(100)));
    // Served data is frozen: no request can change what the next one gets.
    expect(Object.isFrozen(store.get('g')?.data)).toBe(true);
  });
});
