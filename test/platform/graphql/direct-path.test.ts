// The direct path (src/platform/graphql/direct-path.ts) answers exactly as yoga's full path: each request is sent
// twice, to /graphql (the direct path) and to /graphql?twin (the same endpoint, but a URL other than the endpoint's own
// path always takes yoga's path), and the two answers must match in status, headers and body, up to what differs
// between any two requests (request ids, balances, remaining rate limits, signed URLs).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { billingPlugin } from '../../../src/modules/paid-reads/billing.plugin.ts';
import { idempotencyPlugin } from '../../../src/modules/paid-reads/idempotency.plugin.ts';
import { consoleCookiePlugin } from '../../../src/modules/people/console-request.ts';
import { admissionPlugin } from '../../../src/platform/graphql/admission.ts';
import { bufferedBodyPlugin } from '../../../src/platform/graphql/buffered-body.ts';
import { acceptedJsonType, createDirectPath } from '../../../src/platform/graphql/direct-path.ts';
import { persistedOperationsPlugin } from '../../../src/platform/graphql/persisted-operations.ts';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { ledgerRows } from '../../helpers/ledger.ts';
import { type SignedInClient, seed } from '../../helpers/testkit.ts';

let app: TestApp;
let client: SignedInClient;
let product: string;

beforeAll(async () => {
  app = await startTestApp();
  client = await seed(app).client({ credits: 1000, tier: 'enterprise' });
  product = (await seed(app).product({ meta: 'full', imageRows: ['front'] })).barcode;
});
afterAll(async () => {
  await app?.close();
});

/** What differs between any two requests, replaced by placeholders. */
const VARYING_HEADERS = new Set([
  'date',
  'x-request-id',
  'x-credits-remaining',
  'x-ratelimit-remaining',
  'x-ratelimit-reset',
]);
function normalise(text: string): string {
  return text
    .replace(/req_[A-Za-z0-9_-]+/g, 'req_*')
    .replace(/"creditsRemaining":[0-9.]+/g, '"creditsRemaining":*')
    .replace(/"(remaining|reset)":[0-9]+/g, '"$1":*')
    .replace(/\/api\/v1\/image\/[^"]+/g, '/api/v1/image/*');
}

async function send(path: string, body: string, headers: Record<string, string>, base = app.url) {
  const res = await fetch(`${base}${path}`, { method: 'POST', headers, body });
  const text = await res.text();
  const head = [...res.headers]
    .filter(([k]) => !VARYING_HEADERS.has(k) && !k.startsWith('x-ratelimit-remaining') && k !== 'keep-alive')
    .map(
      ([k, v]) =>
        `${k}: ${k === 'ratelimit' ? v.replace(/r=\d+;t=\d+/g, 'r=*;t=*') : k === 'content-length' ? '*' : v}`,
    )
    .sort();
  return { status: res.status, head, body: normalise(text), requestId: res.headers.get('x-request-id')! };
}

/** Sends one request both ways; returns the direct answer after checking the two match. */
async function twin(
  body: unknown,
  headers: Record<string, string> = {},
  token: string | null = client.accessToken,
  base = app.url,
) {
  const h = { 'content-type': 'application/json', ...headers, ...(token ? { authorization: `Bearer ${token}` } : {}) };
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  const direct = await send('/graphql', text, h, base);
  const yoga = await send('/graphql?twin', text, h, base);
  expect(direct.status).toBe(yoga.status);
  expect(direct.head).toEqual(yoga.head);
  expect(direct.body).toBe(yoga.body);
  return direct;
}

const PRODUCT = 'query($b: Barcode!){ product(barcode: $b){ barcode productMeta { brand } images { front } } }';

describe('the direct path answers as yoga does', () => {
  it('a billed read: same answer, and the bill stays exact (one ledger row per 2xx)', async () => {
    const res = await twin({ query: PRODUCT, variables: { b: product } });
    expect(res.status).toBe(200);
    expect(res.body).toContain('"productMeta":{"brand"');
    expect(await ledgerRows(app.db.sql, res.requestId)).toHaveLength(1);
  });

  it('by Accept: errors keep their status, or 200 for clients that prefer application/json', async () => {
    for (const accept of [
      undefined,
      '*/*',
      'application/json',
      'application/graphql-response+json',
      'application/graphql-response+json, application/json;q=0.9',
      'application/json, application/graphql-response+json',
      'text/html, application/json;charset=utf-8',
    ]) {
      const headers: Record<string, string> = accept ? { accept } : {};
      await twin({ query: '{ product(barcode: "1") { barcode' }, headers); // parse error
      await twin({ query: '{ nope }' }, headers); // validation error
      await twin({ query: PRODUCT, variables: { b: '123' } }, headers); // invalid barcode
      await twin({ query: PRODUCT, variables: { b: product } }, headers, null); // no token: 401
      await twin({ query: PRODUCT, variables: { b: product } }, headers, 'not-a-token'); // bad token
    }
  });

  it('operation names, quotes, free fields, the cheap checks', async () => {
    const two = `query A { pricing { currency } } query B { __typename }`;
    await twin({ query: two, operationName: 'B' });
    await twin({ query: two, operationName: 'C' });
    await twin({ query: two });
    await twin({ query: PRODUCT, variables: { b: product } }, { 'x-price-quote': '1' });
    await twin({ query: '{ pricing { currency } }' }, {}, null);
    await twin({ query: `{ ${'__typename '.repeat(2100)}}` }); // more tokens than allowed
    await twin({
      query: '{ __typename @skip(if: false) @skip(if: false) @skip(if: false) @skip(if: false) @skip(if: false) }',
    });
    await twin({ query: 'mutation { nope }' });
    await twin({ query: 'subscription { nope }' });
  });

  it('requests it leaves to yoga are answered by yoga', async () => {
    await twin('{"query": ');
    await twin('null');
    await twin('[]');
    await twin({ query: '' });
    await twin({ query: '{ __typename }', unexpected: 1 });
    await twin({ query: '{ __typename }', variables: [1] });
    await twin({ query: 7 });
    await twin({ documentId: 'sha256:nope' });
    await twin({ query: '{ __typename }', extensions: { persistedQuery: { version: 1, sha256Hash: 'ab' } } });
    await twin({ query: '{ __typename }' }, { accept: 'text/event-stream' });
    await twin({ query: '{ __typename }' }, { accept: 'text/html' });
  });
});

describe('a request refused by its rate limit', () => {
  let small: TestApp;
  beforeAll(async () => {
    small = await startTestApp({ env: { RATE_LIMIT_IP_PER_MINUTE: '4', RATE_LIMIT_MINUTE_WINDOW_SEC: '3600' } });
  });
  afterAll(async () => {
    await small?.close();
  });

  it('is answered from its head alone, as yoga answers it, whatever its body', async () => {
    // Two twins: four requests, the whole bucket.
    for (let i = 0; i < 2; i++) expect((await twin({ query: '{ __typename }' }, {}, null, small.url)).status).toBe(200);
    const refused = await twin({ query: '{ __typename }' }, {}, null, small.url);
    expect(refused.status).toBe(429);
    expect(refused.body).toContain('RATE_LIMITED');
    for (const accept of ['application/json', 'application/graphql-response+json', '*/*', 'text/event-stream']) {
      await twin({ query: '{ __typename }' }, { accept }, null, small.url);
    }
    await twin('{not json', {}, null, small.url);
    await twin({ variables: {} }, {}, 'bogus.token', small.url);
    await twin({ query: '{ __typename }' }, { 'idempotency-key': 'k-1' }, null, small.url); // yoga's path
    // A body over the JSON limit is still read with its limit (413), refused or not.
    const big = await fetch(`${small.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: `{ __typename }`, variables: { pad: 'x'.repeat(1_100_000) } }),
    });
    expect(big.status).toBe(413);
    // The unread body of a refused request is drained: the kept-alive connection serves the next ones cleanly.
    const padded = JSON.stringify({ query: '{ __typename }', variables: { pad: 'x'.repeat(500_000) } });
    for (let i = 0; i < 3; i++) {
      const r = await fetch(`${small.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: padded,
      });
      expect(r.status).toBe(429);
      expect((await r.json()).errors[0].extensions.code).toBe('RATE_LIMITED');
    }
  });
});

describe('which plugins the direct path runs with', () => {
  const base = { getEnveloped: (() => undefined) as never, endpoint: '/graphql', mask: (e: unknown) => e as Error };

  it("runs with the platform's and the modules' plugins, which say which requests their hooks act on", () => {
    const plugins = [
      bufferedBodyPlugin(),
      admissionPlugin(),
      persistedOperationsPlugin({ store: new Map(), allowArbitrary: true }),
      billingPlugin({} as never),
      idempotencyPlugin({} as never),
      consoleCookiePlugin(),
    ];
    expect(createDirectPath({ ...base, plugins })).not.toBeNull();
  });

  it('is off when a plugin has a request hook and does not say which requests it acts on', () => {
    expect(createDirectPath({ ...base, plugins: [{ onParams: () => undefined }] })).toBeNull();
    expect(createDirectPath({ ...base, plugins: [{ onRequest: () => undefined }] })).toBeNull();
    expect(createDirectPath({ ...base, plugins: [{ onParams: () => undefined, yogaFor: () => true }] })).not.toBeNull();
  });

  it("picks the JSON media type yoga's result processors pick", () => {
    expect(acceptedJsonType(undefined)).toBe('application/json');
    expect(acceptedJsonType('*/*')).toBe('application/json');
    expect(acceptedJsonType('application/graphql-response+json')).toBe('application/graphql-response+json');
    expect(acceptedJsonType('application/graphql-response+json, application/json')).toBe(
      'application/graphql-response+json',
    );
    expect(acceptedJsonType('application/json, application/graphql-response+json')).toBe('application/json');
    expect(acceptedJsonType('application/json; charset=latin1')).toBeNull();
    expect(acceptedJsonType('text/event-stream')).toBeNull();
  });
});
