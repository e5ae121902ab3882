// Hostile GraphQL traffic against the running service (docs/graphql-limits.md): documents that used to block
// the event loop or amplify one request into many are refused (4xx) or answered quickly, a concurrent REST
// request stays responsive, tokenless traffic meets the per-IP bucket, errors never debit, and the HTTP status
// follows the Accept header. The time bounds are correctness bounds with large headroom (the bad versions
// took 2.5 to 15 s), not speed assertions.

import { getIntrospectionQuery } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { balanceUnits, ledgerRows } from '../../helpers/ledger.ts';
import { type SignedInClient, seed } from '../../helpers/testkit.ts';

let app: TestApp;
let client: SignedInClient;
let four: string;

interface Answer {
  status: number;
  headers: Headers;
  ms: number;
  body: any;
}
interface Opts {
  token?: string;
  accept?: string;
}
const times = (n: number, f: (i: number) => string) => Array.from({ length: n }, (_, i) => f(i)).join(' ');

async function post(url: string, query: string, variables?: unknown, opts: Opts = {}): Promise<Answer> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  if (opts.accept) headers.accept = opts.accept;
  const t = performance.now();
  const res = await fetch(`${url}/graphql`, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
  const text = await res.text();
  return { status: res.status, headers: res.headers, ms: performance.now() - t, body: JSON.parse(text) };
}

const gql = (query: string, variables?: unknown, opts: Opts = {}) => post(app.url, query, variables, opts);

/** Case 1: 19 nested fragments, each spreading the next twice (2^19 expansions for a naive walk). */
const fragmentBomb = (root: string) =>
  `{ ${root} { ...F0 } } ` +
  Array.from({ length: 19 }, (_, i) => `fragment F${i} on Product { barcode ...F${i + 1} ...F${i + 1} }`).join(' ') +
  ' fragment F19 on Product { availableVariants }';
/** Two aliases per level: the executed tree really doubles at each level (2^12 leaves from 24 aliases). */
const treeBomb =
  `{ __schema { types { ...T0 } } } ` +
  times(12, (i) => `fragment T${i} on __Type { a: ofType { ...T${i + 1} } b: ofType { ...T${i + 1} } }`) +
  ' fragment T12 on __Type { name }';
/** Case 2: thousands of aliased introspection lists (260 KB). */
const typeBody = 'name kind description fields { name description args { name } }';
const introspectionFlood = `{ __schema { ${times(3000, (i) => `a${i}: types { ${typeBody} }`)} } }`;
/** Case 4: many listings of 500 products in one request. */
const listingFlood = `{ ${times(100, (i) => `c${i}: catalog(first: 500) { edges { cursor } }`)} }`;
/** Case 7: null for a nullable variable with a default, used where a value is required. */
const nullSkip = (b: string) => `query($s: Boolean = true) { product(barcode: "${b}") @skip(if: $s) { barcode } }`;

function expectCode(a: Answer, status: number, code: string, message?: RegExp) {
  expect(a.status, JSON.stringify(a.body).slice(0, 300)).toBe(status);
  expect(a.body.errors?.[0]?.extensions?.code).toBe(code);
  if (message) expect(a.body.errors[0].message).toMatch(message);
  expect(a.body.data ?? null).toBeNull();
}

beforeAll(async () => {
  // A long minute window: bucket numbers do not roll over between two requests of one test.
  app = await startTestApp({ env: { RATE_LIMIT_IP_PER_MINUTE: '100000', RATE_LIMIT_MINUTE_WINDOW_SEC: '3600' } });
  client = await seed(app).client({ credits: 100, tier: 'enterprise' });
  four = (await seed(app).product({ meta: 'full', imageRows: ['front', 'back'] })).barcode;
});
afterAll(async () => {
  await app?.close();
});

describe('hostile documents are answered quickly, never 5xx, never billed', () => {
  it('case 1: the fragment bomb is planned in linear time (401 without a token, billed once with one)', async () => {
    const doc = fragmentBomb(`product(barcode: "${four}")`);
    expect(doc.length).toBeLessThan(2000);
    const anon = await gql(doc);
    console.log(`fragment bomb: ${doc.length} bytes, tokenless ${anon.ms.toFixed(0)} ms`);
    expectCode(anon, 401, 'UNAUTHENTICATED');
    expect(anon.ms).toBeLessThan(2000);
    const before = await balanceUnits(app.db.sql, client.accountId);
    const signed = await gql(doc, undefined, { token: client.accessToken });
    console.log(`fragment bomb: signed-in ${signed.ms.toFixed(0)} ms`);
    expect(signed.status).toBe(200);
    expect(signed.body.data.product).toEqual({ barcode: four, availableVariants: ['FRONT', 'BACK'] });
    expect(signed.body.extensions.billing.lines.map((l: { action: string }) => l.action)).toEqual(['products.head']);
    expect(before - (await balanceUnits(app.db.sql, client.accountId))).toBe(500n);
    expect(signed.ms).toBeLessThan(2000);
  });

  it('a fragment tree that doubles at each level is refused: aliases count as executed', async () => {
    const a = await gql(treeBomb);
    expectCode(a, 400, 'BAD_REQUEST', /more than 100 aliases/);
    expect(a.ms).toBeLessThan(2000);
  });

  it('case 2: the introspection flood is refused before parsing; limits hold inside __schema', async () => {
    expect(introspectionFlood.length).toBeGreaterThan(200_000);
    const flood = await gql(introspectionFlood);
    console.log(`introspection flood: ${flood.ms.toFixed(0)} ms`);
    expectCode(flood, 400, 'BAD_REQUEST', /longer than \d+ characters/);
    expect(flood.ms).toBeLessThan(2000);
    // Under the size limit, over the token limit.
    const tokens = await gql(`{ __schema { ${times(700, (i) => `a${i}: types { name }`)} } }`);
    expectCode(tokens, 400, 'BAD_REQUEST', /more than \d+ tokens/);
    // Under both, over the alias limit: aliases count inside introspection too.
    const aliases = await gql(`{ __schema { ${times(101, (i) => `a${i}: queryType { name }`)} } }`);
    expectCode(aliases, 400, 'BAD_REQUEST', /more than 100 aliases/);
    // Few aliases, each the whole type list with its fields: the introspection size budget.
    const full = getIntrospectionQuery();
    const fullType = full.slice(full.indexOf('fragment FullType'));
    const big = await gql(`{ __schema { ${times(5, (i) => `a${i}: types { ...FullType }`)} } } ${fullType}`);
    expectCode(big, 400, 'BAD_REQUEST', /introspection query would return too much/);
    const directives = await gql(`{ __typename ${times(5, () => '@skip(if: false)')} }`);
    expectCode(directives, 400, 'BAD_REQUEST', /directives per field/);
  });

  it('the standard introspection query (GraphiQL, codegen) still works, with and without a token', async () => {
    for (const token of [undefined, client.accessToken]) {
      const a = await gql(getIntrospectionQuery(), undefined, { token });
      expect(a.status).toBe(200);
      expect(a.body.errors).toBeUndefined();
      expect(a.body.data.__schema.types.map((t: { name: string }) => t.name)).toContain('Product');
    }
  });

  it('case 4: a listing flood is refused before any listing runs; each listing beyond the first counts', async () => {
    const before = await balanceUnits(app.db.sql, client.accountId);
    const flood = await gql(listingFlood, undefined, { token: client.accessToken });
    console.log(`listing flood: ${flood.ms.toFixed(0)} ms`);
    expectCode(flood, 400, 'BAD_REQUEST', /At most 5 catalog listings/);
    expect(flood.ms).toBeLessThan(2000);
    expect(await ledgerRows(app.db.sql, flood.headers.get('x-request-id')!)).toHaveLength(0);
    expect(await balanceUnits(app.db.sql, client.accountId)).toBe(before);
    const six = Array.from({ length: 6 }, (_, i) => `c${i}: catalog(first: ${i + 1}) { edges { cursor } }`).join(' ');
    const refused = await gql(`{ ${six} }`, undefined, { token: client.accessToken });
    expectCode(refused, 400, 'BAD_REQUEST', /At most 5 catalog listings/);

    const one = await gql('{ catalog(first: 2) { edges { cursor } } }', undefined, { token: client.accessToken });
    const three = await gql(
      `{ ${times(3, (i) => `c${i}: catalog(first: ${i + 2}) { edges { cursor } }`)} }`,
      undefined,
      { token: client.accessToken },
    );
    expect(three.status).toBe(200);
    const remaining = (a: Answer) => a.body.extensions.rateLimit.minute.remaining as number;
    expect(remaining(one) - remaining(three)).toBe(3);
    const header = (a: Answer) => Number(a.headers.get('x-ratelimit-remaining-minute'));
    expect(header(one) - header(three)).toBe(3);
  });

  it('case 7: null for a defaulted variable in @skip is a 400, not a 500', async () => {
    const anon = await gql(nullSkip(four), { s: null });
    expectCode(anon, 400, 'BAD_REQUEST', /must not be null/);
    const signed = await gql(nullSkip(four), { s: null }, { token: client.accessToken });
    expectCode(signed, 400, 'BAD_REQUEST', /must not be null/);
    expect(await ledgerRows(app.db.sql, signed.headers.get('x-request-id')!)).toHaveLength(0);
    // The same variable given a value, or left out (its default applies), works.
    const skipped = await gql(nullSkip(four), {}, { token: client.accessToken });
    expect(skipped.status).toBe(200);
    expect(skipped.body.data).toEqual({});
  });

  it('GET /api/v1/pricing stays responsive while hostile documents arrive', async () => {
    const fragments = fragmentBomb('x').slice(fragmentBomb('x').indexOf('fragment'));
    const hostile = [
      fragmentBomb(`product(barcode: "${four}")`),
      treeBomb,
      introspectionFlood,
      nullSkip(four),
      getIntrospectionQuery(),
      `{ ${times(100, (i) => `a${i}: product(barcode: "${four}") { ...F0 }`)} } ${fragments}`,
    ];
    let stop = false;
    const attackers = Array.from({ length: 4 }, async (_, w) => {
      let n = 0;
      while (!stop) {
        const token = w % 2 ? client.accessToken : undefined;
        const a = await gql(hostile[(n++ + w) % hostile.length], { s: null }, { token });
        expect(a.status).toBeLessThan(500);
      }
      return n;
    });
    const latencies: number[] = [];
    for (let i = 0; i < 20; i++) {
      const t = performance.now();
      const res = await fetch(`${app.url}/api/v1/pricing`);
      await res.arrayBuffer();
      latencies.push(performance.now() - t);
      expect(res.status).toBe(200);
    }
    stop = true;
    const sent = (await Promise.all(attackers)).reduce((a, b) => a + b, 0);
    latencies.sort((a, b) => a - b);
    console.log(
      `GET /api/v1/pricing under ${sent} hostile GraphQL requests: ` +
        `median ${latencies[10].toFixed(1)} ms, max ${latencies.at(-1)!.toFixed(1)} ms`,
    );
    // A correctness bound, not a speed target (the numbers are printed above): before the linear planner one
    // hostile document held the event loop for ~15 s, so every pricing read behind it waited that long. 5 s of
    // headroom keeps this true on a 2-core machine shared with other CPU-bound work.
    expect(latencies.at(-1)!).toBeLessThan(5000);
  });
});

describe('HTTP status by Accept; extensions on every response', () => {
  const paid = `query($b: Barcode!) { product(barcode: $b) { productMeta { brand } } }`;

  it('application/json gets 200 with the code; application/graphql-response+json and */* keep the 4xx', async () => {
    const json = await gql(paid, { b: four }, { accept: 'application/json' });
    expect(json.status).toBe(200);
    expect(json.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    expect(json.headers.get('www-authenticate')).toBe('Bearer');
    const spec = await gql(paid, { b: four }, { accept: 'application/graphql-response+json' });
    expect(spec.status).toBe(401);
    expect(spec.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    expect((await gql(paid, { b: four }, { accept: '*/*' })).status).toBe(401);
    const both = 'application/graphql-response+json, application/json;q=0.9';
    expect((await gql(paid, { b: four }, { accept: both })).status).toBe(401);

    const poor = await seed(app).client({ credits: '0.1', tier: 'enterprise' });
    const broke = await gql(paid, { b: four }, { token: poor.accessToken, accept: 'application/json' });
    expect(broke.status).toBe(200);
    expect(broke.body.errors[0].extensions.code).toBe('INSUFFICIENT_CREDITS');
    expect(broke.body.extensions.billing).toMatchObject({ creditsDebited: 0, creditsRemaining: 0.1 });
    const spec402 = { token: poor.accessToken, accept: 'application/graphql-response+json' };
    const specBroke = await gql(paid, { b: four }, spec402);
    expect(specBroke.status).toBe(402);

    const limit = await gql(nullSkip(four), { s: null }, { accept: 'application/json' });
    expect(limit.status).toBe(200);
    expect(limit.body.errors[0].extensions.code).toBe('BAD_REQUEST');
  });

  it('extensions.rateLimit on every response; creditsRemaining whenever a valid token is sent', async () => {
    const anon = await gql('{ pricing { currency } }');
    const live = { remaining: expect.any(Number), reset: expect.any(Number) };
    expect(anon.body.extensions.rateLimit).toEqual({ minute: { limit: 100000, ...live } });
    expect(anon.body.extensions.billing.creditsRemaining).toBeNull();
    const signed = await gql('{ pricing { currency } }', undefined, { token: client.accessToken });
    const buckets = { minute: { limit: 6000, ...live }, day: { limit: 1000000, ...live } };
    expect(signed.body.extensions.rateLimit).toEqual(buckets);
    const minuteLeft = Number(signed.headers.get('x-ratelimit-remaining-minute'));
    expect(signed.body.extensions.rateLimit.minute.remaining).toBe(minuteLeft);
    const balance = Number(await balanceUnits(app.db.sql, client.accountId)) / 10_000;
    expect(signed.body.extensions.billing).toMatchObject({ creditsDebited: 0, creditsRemaining: balance });
    expect(signed.headers.get('x-credits-remaining')).toBe(String(balance));
    // Errors too, and a bad token on a free operation is ignored (answered as tokenless).
    const invalid = await gql('{ nope }', undefined, { token: client.accessToken });
    expect(invalid.body.extensions.billing.creditsRemaining).toBe(balance);
    const forged = await gql('{ pricing { currency } }', undefined, { token: 'not.a.token' });
    expect(forged.status).toBe(200);
    expect(forged.body.extensions.billing.creditsRemaining).toBeNull();
    expect(forged.body.extensions.rateLimit.day).toBeUndefined();
  });
});

describe('case 3: the per-IP bucket covers tokenless /graphql', () => {
  let small: TestApp;
  beforeAll(async () => {
    small = await startTestApp({ env: { RATE_LIMIT_IP_PER_MINUTE: '20', RATE_LIMIT_MINUTE_WINDOW_SEC: '3600' } });
  });
  afterAll(async () => {
    await small?.close();
  });

  it('tokenless and bad-token requests share the IP bucket: 429 with Retry-After; signed-in ones do not', async () => {
    // Its token exchange counts against the IP bucket only on failure.
    const signedIn = await seed(small).client({ credits: 10, tier: 'enterprise' });
    const statuses: number[] = [];
    for (let i = 0; i < 24; i++) {
      const token = i % 2 ? 'bogus.token' : undefined;
      const a = await post(small.url, '{ pricing { currency } }', undefined, { token });
      statuses.push(a.status);
    }
    expect(statuses.slice(0, 20).every((s) => s === 200)).toBe(true);
    expect(statuses.slice(20)).toEqual([429, 429, 429, 429]);

    const refused = await post(small.url, `{ ${'__typename '.repeat(1500)} }`);
    expectCode(refused, 429, 'RATE_LIMITED');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(refused.headers.get('x-ratelimit-remaining-minute')).toBe('0');
    expect(refused.headers.get('ratelimit-policy')).toMatch(/"minute";q=20;w=3600/);
    expect(refused.body.extensions.rateLimit.minute).toMatchObject({ limit: 20, remaining: 0 });
    expect(refused.ms).toBeLessThan(2000);
    // Its body is not even read as JSON: one that is not JSON, or names no document, gets the same 429.
    for (const body of [
      '{not json',
      '{"variables":{}}',
      JSON.stringify({ query: `{ ${'a: __typename '.repeat(5000)} }` }),
    ]) {
      const r = await fetch(`${small.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
      expect(r.status, body.slice(0, 20)).toBe(429);
      expect((await r.json()).errors[0].extensions.code).toBe('RATE_LIMITED');
    }
    const rest = await fetch(`${small.url}/api/v1/pricing`);
    expect(rest.status).toBe(429); // one bucket for REST and GraphQL

    const json = await post(small.url, '{ pricing { currency } }', undefined, { accept: 'application/json' });
    expect(json.status).toBe(200);
    expect(json.body.errors[0].extensions.code).toBe('RATE_LIMITED');
    expect(json.headers.get('retry-after')).toMatch(/^\d+$/);

    const ok = await post(small.url, '{ pricing { currency } balance { creditsRemaining } }', undefined, {
      token: signedIn.accessToken,
    });
    expect(ok.status).toBe(200);
    expect(ok.body.data.balance.creditsRemaining).toBe(10);
  });
});
