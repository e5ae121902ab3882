// Persisted operations and client conventions of the GraphQL endpoint (docs/graphql.md#persisted-operations,
// docs/graphql.md#product-identity): a document named by its id (client-preset `documentId` or the
// persisted-query extension) runs, and is billed, exactly like the same document sent in full; free ones go over
// GET; unknown ids and, when configured, documents are refused; Product.id is the GTIN-14 and free.
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { print } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import manifest from '../../consumer/gql/persisted-documents.json' with { type: 'json' };
import { PricingQuery, ProductCardQuery, ShelfCheckQuery } from '../../consumer/product-card.ts';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { call, type JsonResponse } from '../../helpers/http.ts';
import { balanceUnits, credits, ledgerRows } from '../../helpers/ledger.ts';
import { repoRoot } from '../../helpers/paths.ts';
import { barcode, type SignedInClient, seed } from '../../helpers/testkit.ts';

let app: TestApp;
let client: SignedInClient;
let front: string;
let tmp: string;

const store = manifest as Record<string, string>;
const hashOf = (doc: object) => (doc as { __meta__: { hash: string } }).__meta__.hash;
const bare = (id: string) => id.replace(/^sha256:/, '');

const post = (body: unknown, headers: Record<string, string> = {}, token: string | null = client.accessToken) =>
  call(app.url, '/graphql', { body, token: token ?? undefined, headers });

/** What a charge consists of: the ledger lines of its request (without per-request fields). */
async function chargeOf(res: JsonResponse) {
  const rows = await ledgerRows(app.db.sql, res.headers.get('x-request-id')!);
  return rows.map((r) => ({ amount: r.amount, lines: r.lines }));
}

/** The data without the signed URLs (each read signs its own). */
const withoutUrls = (data: unknown) =>
  JSON.parse(JSON.stringify(data), (k, v) => (k === 'front' && typeof v === 'string' ? '<url>' : v));

beforeAll(async () => {
  // The sample consumer's manifest, configured explicitly: no build ever falls back to a test fixture.
  const sample = path.join(repoRoot, 'test/consumer/gql/persisted-documents.json');
  app = await startTestApp({ env: { PERSISTED_OPERATIONS_FILE: sample } });
  client = await seed(app).client({ credits: 1000, tier: 'enterprise' });
  front = (await seed(app).product({ meta: 'full', imageRows: ['front'] })).barcode;
  tmp = await mkdtemp(path.join(os.tmpdir(), 'kc-persisted-'));
});
afterAll(async () => {
  await app?.close();
  await rm(tmp, { recursive: true, force: true });
});

describe('the checked-in manifest', () => {
  it('holds every consumer document under the sha256 of its text', () => {
    const ids = [ProductCardQuery, PricingQuery, ShelfCheckQuery].map(hashOf);
    expect(Object.keys(store).sort()).toEqual([...ids].sort());
    for (const [id, doc] of Object.entries(store)) {
      expect(id).toBe(`sha256:${createHash('sha256').update(doc).digest('hex')}`);
    }
  });
});

describe('a persisted billed read is billed like the same document sent in full', () => {
  it('documentId (client preset): same data, same ledger lines, same headers', async () => {
    const variables = { barcode: front };
    const full = await post({ query: print(ProductCardQuery), variables });
    const byId = await post({ documentId: hashOf(ProductCardQuery), variables });
    for (const res of [full, byId]) {
      expect(res.status).toBe(200);
      expect(res.body.errors).toBeUndefined();
    }
    expect(withoutUrls(byId.body.data)).toEqual(withoutUrls(full.body.data));
    expect(byId.body.data.product.images.front).toMatch(/^http/);
    const [a, b] = [await chargeOf(full), await chargeOf(byId)];
    expect(a).toHaveLength(1);
    expect(b).toEqual(a);
    expect(byId.body.extensions.billing.creditsDebited).toBe(full.body.extensions.billing.creditsDebited);
    expect(byId.body.extensions.billing.lines).toEqual(full.body.extensions.billing.lines);
    expect(byId.headers.get('x-credits-debited')).toBe(full.headers.get('x-credits-debited'));
    const balance = await balanceUnits(app.db.sql, client.accountId);
    expect(byId.body.extensions.billing.creditsRemaining).toBe(credits(balance));
  });

  it('extensions.persistedQuery.sha256Hash (persisted-query links), bare hex or prefixed', async () => {
    const variables = { barcode: front };
    const full = await post({ query: print(ProductCardQuery), variables });
    for (const sha256Hash of [bare(hashOf(ProductCardQuery)), hashOf(ProductCardQuery)]) {
      const res = await post({ variables, extensions: { persistedQuery: { version: 1, sha256Hash } } });
      expect(res.status).toBe(200);
      expect(withoutUrls(res.body.data)).toEqual(withoutUrls(full.body.data));
      expect(await chargeOf(res)).toEqual(await chargeOf(full));
    }
  });

  it('a price quote of a persisted operation quotes what the full document costs', async () => {
    const variables = { barcode: front };
    const headers = { 'x-price-quote': '1' };
    const full = await post({ query: print(ProductCardQuery), variables }, headers);
    const byId = await post({ documentId: hashOf(ProductCardQuery), variables }, headers);
    expect(byId.body.data).toBeNull();
    expect(byId.body.extensions.billing.creditsQuoted).toBe(full.body.extensions.billing.creditsQuoted);
    expect(byId.body.extensions.billing.creditsQuoted).toBeGreaterThan(0);
    expect(await chargeOf(byId)).toEqual([]);
  });

  it('bulkCheck by id: enum errors, billed per valid barcode', async () => {
    const variables = { barcodes: [front, 'abc'] };
    const full = await post({ query: print(ShelfCheckQuery), variables });
    const byId = await post({ documentId: hashOf(ShelfCheckQuery), variables });
    expect(byId.body.data).toEqual(full.body.data);
    expect(byId.body.data.bulkCheck).toEqual([
      { barcode: front, exists: true, error: null },
      { barcode: 'abc', exists: false, error: 'INVALID_BARCODE' },
    ]);
    expect(await chargeOf(byId)).toEqual(await chargeOf(full));
  });

  it('Idempotency-Key: the id is the identity; a replay charges nothing; another operation is a mismatch', async () => {
    const key = `persisted-${randomBytes(12).toString('hex')}`;
    const body = { documentId: hashOf(ProductCardQuery), variables: { barcode: front } };
    const first = await post(body, { 'idempotency-key': key });
    expect(first.status).toBe(200);
    const before = await balanceUnits(app.db.sql, client.accountId);
    const again = await post(body, { 'idempotency-key': key });
    expect(again.headers.get('idempotency-replayed')).toBe('1');
    expect(again.body).toEqual(first.body);
    expect(await balanceUnits(app.db.sql, client.accountId)).toBe(before);
    const other = await post(
      { documentId: hashOf(ShelfCheckQuery), variables: { barcode: front } },
      { 'idempotency-key': key },
    );
    expect(other.body.errors[0].extensions.code).toBe('IDEMPOTENCY_KEY_MISMATCH');
  });
});

describe('free persisted operations over GET', () => {
  it('GET /graphql?documentId=… runs a free operation without a token', async () => {
    const id = encodeURIComponent(hashOf(PricingQuery));
    const res = await call(app.url, `/graphql?documentId=${id}`, { headers: { accept: 'application/json' } });
    expect(res.status).toBe(200);
    expect(res.body.data.pricing.currency).toBe('credits');
    expect(res.body.extensions.billing.creditsDebited).toBe(0);
    const ext = encodeURIComponent(
      JSON.stringify({ persistedQuery: { version: 1, sha256Hash: bare(hashOf(PricingQuery)) } }),
    );
    const apq = await call(app.url, `/graphql?extensions=${ext}`, { headers: { accept: 'application/json' } });
    expect(apq.body.data).toEqual(res.body.data);
  });
});

describe('refusals', () => {
  it('an unknown id is PersistedQueryNotFound (persisted-query links then send the document); nothing charged', async () => {
    const res = await post({ documentId: `sha256:${'0'.repeat(64)}`, variables: { barcode: front } });
    expect(res.body.errors[0]).toMatchObject({
      message: 'PersistedQueryNotFound',
      extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' },
    });
    expect(res.body.data).toBeUndefined();
    expect(res.headers.get('x-credits-debited')).toBe('0');
    // The link's second attempt: the document with its hash.
    const sha256Hash = createHash('sha256').update('{ pricing { currency } }').digest('hex');
    const retry = await post({
      query: '{ pricing { currency } }',
      extensions: { persistedQuery: { version: 1, sha256Hash } },
    });
    expect(retry.body.data).toEqual({ pricing: { currency: 'credits' } });
  });

  it('no document and no id is a 400 BAD_REQUEST', async () => {
    const res = await post({ variables: {} }, { accept: 'application/graphql-response+json' });
    expect(res.status).toBe(400);
    expect(res.body.errors[0].extensions.code).toBe('BAD_REQUEST');
  });

  it('PERSISTED_OPERATIONS_ONLY=1 with PERSISTED_OPERATIONS_FILE: only the file’s operations run', async () => {
    const file = path.join(tmp, 'ops.json');
    const doc = 'query Mine { pricing { currency } }';
    await writeFile(file, JSON.stringify({ 'my-app:pricing:v1': doc }));
    const strict = await startTestApp({
      db: app.db,
      env: { PERSISTED_OPERATIONS_FILE: file, PERSISTED_OPERATIONS_ONLY: '1' },
    });
    try {
      const ok = await call(strict.url, '/graphql', { body: { documentId: 'my-app:pricing:v1' } });
      expect(ok.body.data).toEqual({ pricing: { currency: 'credits' } });
      const refused = await call(strict.url, '/graphql', {
        body: { query: doc },
        headers: { accept: 'application/graphql-response+json' },
      });
      expect(refused.status).toBe(400);
      expect(refused.body.errors[0].extensions.code).toBe('PERSISTED_QUERY_ONLY');
      // Not in this file (the sample consumer manifest is not loaded when a file is configured).
      const other = await call(strict.url, '/graphql', { body: { documentId: hashOf(PricingQuery) } });
      expect(other.body.errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    } finally {
      await strict.close();
    }
  });
});

describe('Product.id', () => {
  it('is the GTIN-14 whichever printed form found the product, and adds nothing to the bill', async () => {
    const p = await seed(app).product({ meta: 'full', barcode: barcode(12) });
    const gtin14 = `00${p.barcode}`;
    const q = 'query($b: Barcode!) { product(barcode: $b) { id barcode } }';
    const a = await post({ query: q, variables: { b: `0${p.barcode}` } });
    const b = await post({ query: q, variables: { b: gtin14 } });
    expect(a.body.data.product).toEqual({ id: gtin14, barcode: p.barcode });
    expect(b.body.data.product.id).toBe(gtin14);
    const head = await post({
      query: 'query($b: Barcode!) { product(barcode: $b) { barcode } }',
      variables: { b: gtin14 },
    });
    expect(a.body.extensions.billing.lines).toEqual(head.body.extensions.billing.lines);
    expect(a.body.extensions.billing.creditsDebited).toBe(head.body.extensions.billing.creditsDebited);
    // Usable as a barcode argument.
    const byId = await post({ query: q, variables: { b: a.body.data.product.id } });
    expect(byId.body.data.product.id).toBe(gtin14);
  });
});
