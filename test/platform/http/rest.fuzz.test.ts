// Property-based fuzzing of every REST route over HTTP against the running app (real PostgreSQL and Redis):
// thousands of generated and mutated inputs per route family. For every answer: no 5xx, the contract error
// body on errors, no debit on an error (balance and ledger unchanged), and nothing stored by a refused admin
// write or upload. The seed is fixed (FUZZ_SEED overrides it); fast-check prints seed and path on failure.
// The rules being probed are docs/input-validation.md.

import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withCheckDigit } from '../../../src/modules/catalog/gtin.ts';
import {
  anyJson,
  anyText,
  barcodeish,
  blobFiles,
  bodyText,
  dateish,
  enc,
  expectContractAnswer,
  type Fuzz,
  fuzzParams,
  idemKey,
  jpegOf,
  moneyOf,
  mutated,
  nasty,
  queryOf,
  rawTail,
  SEED,
  type SendOptions,
  send,
  serially,
  startFuzzApp,
  storedState,
  timeoutFor,
  timestampish,
} from '../../helpers/fuzz.ts';

let fz: Fuzz;
beforeAll(async () => {
  fz = await startFuzzApp();
  console.log(`[rest.fuzz] seed ${SEED} (set FUZZ_SEED to change it)`);
});
afterAll(async () => {
  await fz?.close();
});

/** A client request: checks the answer, and that an error debited nothing. */
const asClient = (method: string, p: string, opts: SendOptions = {}) =>
  serially(async () => {
    const before = await moneyOf(fz.app, fz.client.accountId);
    const r = await send(fz.app, method, p, { token: fz.client.accessToken, ...opts });
    expectContractAnswer(method, r, `${method} ${p}`);
    if (r.status >= 400)
      expect(await moneyOf(fz.app, fz.client.accountId), `money after ${method} ${p} -> ${r.status}`).toBe(before);
    return r;
  });

/** An admin request: checks the answer, and that a refused write stored nothing. */
const asAdmin = (method: string, p: string, opts: SendOptions = {}) => serially(() => checkedAdmin(method, p, opts));

async function checkedAdmin(method: string, p: string, opts: SendOptions = {}) {
  const before = await storedState(fz.app);
  const r = await send(fz.app, method, p, { token: fz.app.adminToken, ...opts });
  expectContractAnswer(method, r, `${method} ${p}`);
  if (r.status >= 400) expect(await storedState(fz.app), `stored after ${method} ${p} -> ${r.status}`).toBe(before);
  return r;
}

const FORM = 'application/x-www-form-urlencoded';
const json = (body: string, type = 'application/json'): SendOptions => ({ body, headers: { 'content-type': type } });
const list = (items: readonly string[]) =>
  fc.oneof(
    { weight: 3, arbitrary: fc.subarray([...items], { minLength: 1 }).map((a) => a.join(',')) },
    {
      weight: 1,
      arbitrary: fc.array(fc.oneof(fc.constantFrom(...items), anyText), { maxLength: 3 }).map((a) => a.join(',')),
    },
    { weight: 1, arbitrary: anyText },
  );
const pair = (k: fc.Arbitrary<string>, v: fc.Arbitrary<string>) => fc.tuple(k, v, rawTail);
const intish = fc.oneof(fc.integer({ min: -5, max: 600 }).map(String), fc.integer().map(String), anyText);
const boolish = fc.oneof(fc.constantFrom('true', 'false', '1', '0', 'yes', 'TRUE'), anyText);

describe('REST fuzz: paid reads', () => {
  it(
    'GET/HEAD /api/v1/products/{barcode} with any barcode and include/variants/image_size/image_format',
    async () => {
      const barcode = fc.oneof(
        { weight: 2, arbitrary: fc.constantFrom(...fz.barcodes) },
        { weight: 3, arbitrary: barcodeish },
      );
      const query = fc.array(
        fc.oneof(
          pair(fc.constant('include'), list(['product_meta', 'image_meta', 'images'])),
          pair(fc.constant('variants'), list(['front', 'back', 'front_clean', 'back_clean'])),
          // The other list forms (docs/rest.md#query-parameters), and bracket keys of every shape.
          pair(
            fc.constantFrom('include[]', 'include[0]', 'include[7]', 'variants[]', 'variants[1]', 'image_size[]'),
            list(['product_meta', 'images', 'front', 'back']),
          ),
          pair(
            fc.tuple(fc.constantFrom('include', 'variants'), anyText).map(([k, t]) => `${k}[${t}]`),
            anyText,
          ),
          pair(
            fc.constant('image_size'),
            fc.oneof(fc.constantFrom('thumb', 'small', 'medium', 'large', 'original'), anyText),
          ),
          pair(
            fc.constant('image_format'),
            fc.oneof(fc.constantFrom('original', 'jpeg', 'png', 'webp', 'avif'), anyText),
          ),
          pair(anyText, anyText),
        ),
        { maxLength: 4 },
      );
      const key = fc.oneof(fc.constant(undefined), idemKey);
      await fc.assert(
        fc.asyncProperty(fc.constantFrom('GET', 'HEAD'), barcode, query, key, async (method, b, q, k) => {
          await asClient(
            method,
            `/api/v1/products/${enc(b)}${queryOf(q)}`,
            k ? { headers: { 'idempotency-key': k } } : {},
          );
        }),
        fuzzParams(1200, 8000),
      );
    },
    timeoutFor(8000),
  );

  it(
    'POST /api/v1/products/bulk-check with any body and Idempotency-Key',
    async () => {
      const barcodes = fc.oneof(
        { weight: 4, arbitrary: fc.array(fc.oneof(fc.constantFrom(...fz.barcodes), barcodeish), { maxLength: 8 }) },
        { weight: 1, arbitrary: fc.array(anyJson, { maxLength: 4 }) },
        {
          weight: 1,
          arbitrary: fc.constantFrom(
            ...[499, 500, 501].map((n) => Array.from({ length: n }, (_, i) => fz.barcodes[i % 3])),
          ),
        },
        { weight: 1, arbitrary: anyJson },
      );
      const body = fc.oneof(
        { weight: 5, arbitrary: barcodes.map((b) => ({ barcodes: b })) },
        { weight: 1, arbitrary: anyJson },
      );
      const type = fc.constantFrom(
        'application/json',
        'application/json',
        'application/json; charset=utf-8',
        'text/plain',
        'application/problem+json',
      );
      await fc.assert(
        fc.asyncProperty(bodyText(body), type, idemKey, async (b, t, k) => {
          const opts = json(b, t);
          if (k) opts.headers!['idempotency-key'] = k;
          await asClient('POST', '/api/v1/products/bulk-check', opts);
        }),
        fuzzParams(500, 3000),
      );
    },
    timeoutFor(3000),
  );
});

describe('REST fuzz: free client routes', () => {
  it(
    'GET /api/v1/products: every listing filter, page/per_page and order, with hostile values',
    async () => {
      const k = (s: string) => fc.constant(s);
      const q = fc.array(
        fc.oneof(
          pair(k('ownership'), fc.oneof(k('Studio A'), anyText)),
          pair(k('brand'), anyText),
          pair(k('search'), anyText),
          pair(k('min_digits'), intish),
          pair(k('has_front'), boolish),
          pair(k('hechsher'), fc.oneof(k('OU-D'), anyText)),
          pair(k('kosher_for_passover'), boolish),
          pair(k('updated_since'), timestampish),
          pair(k('order'), fc.oneof(fc.constantFrom('barcode', 'updated_at'), anyText)),
          pair(k('page'), intish),
          pair(k('per_page'), intish),
          pair(k('cursor'), anyText),
          pair(anyText, anyText),
        ),
        { maxLength: 5 },
      );
      await fc.assert(
        fc.asyncProperty(q, async (pairs) => {
          await asClient('GET', `/api/v1/products${queryOf(pairs)}`);
        }),
        fuzzParams(1200, 8000),
      );
    },
    timeoutFor(8000),
  );

  it(
    'GET /api/v1/products?cursor=: issued cursors mutated field by field, base64 of any JSON, any text',
    async () => {
      const decode = (c: string) => JSON.parse(Buffer.from(c, 'base64url').toString('utf8'));
      const b64 = (v: unknown) => Buffer.from(JSON.stringify(v) ?? '').toString('base64url');
      const fieldValue = (f: string) =>
        f === 't' || f === 'w'
          ? fc.oneof({ weight: 4, arbitrary: timestampish }, { weight: 1, arbitrary: anyJson })
          : f === 'g'
            ? fc.oneof(barcodeish, anyJson, fc.stringMatching(/^[0-9]{14}$/))
            : anyJson;
      const edit = fc
        .constantFrom('v', 'o', 'g', 't', 'w', 'f', 'x')
        .chain((f) => fc.tuple(fc.constant(f), fc.option(fieldValue(f), { nil: undefined, freq: 6 })));
      const mutated = fc
        .tuple(
          fc.constantFrom('barcode', 'updated') as fc.Arbitrary<'barcode' | 'updated'>,
          fc.array(edit, { minLength: 1, maxLength: 3 }),
        )
        .map(([which, edits]) => {
          const o = decode(fz.cursors[which]);
          for (const [f, v] of edits) {
            if (v === undefined) delete o[f];
            else o[f] = v;
          }
          return b64(o);
        });
      const cursor = fc.oneof(
        { weight: 5, arbitrary: mutated },
        { weight: 2, arbitrary: anyJson.map(b64) },
        { weight: 1, arbitrary: fc.constantFrom(fz.cursors.barcode, fz.cursors.updated) },
        { weight: 1, arbitrary: anyText },
      );
      const order = fc.constantFrom(undefined, 'barcode', 'updated_at', 'bogus');
      const perPage = fc.option(intish, { nil: undefined });
      await fc.assert(
        fc.asyncProperty(cursor, order, perPage, async (c, o, pp) => {
          const pairs: [string, string, string][] = [['cursor', c, '']];
          if (o) pairs.push(['order', o, '']);
          if (pp !== undefined) pairs.push(['per_page', pp, '']);
          await asClient('GET', `/api/v1/products${queryOf(pairs)}`);
        }),
        fuzzParams(1000, 6000),
      );
    },
    timeoutFor(6000),
  );

  it(
    'GET /api/v1/usage with any from/to/group_by, and the other free GETs with junk queries',
    async () => {
      const usage = fc
        .array(
          fc.oneof(
            pair(fc.constant('from'), dateish),
            pair(fc.constant('to'), dateish),
            pair(fc.constant('group_by'), list(['client', 'day', 'action'])),
            pair(anyText, anyText),
          ),
          { maxLength: 4 },
        )
        .map((p) => `/api/v1/usage${queryOf(p)}`);
      const other = fc
        .tuple(
          fc.constantFrom('/api/v1/balance', '/api/v1/account', '/api/v1/pricing', '/api/v1/openapi.json'),
          fc.array(pair(anyText, anyText), { maxLength: 2 }),
        )
        .map(([p, q]) => `${p}${queryOf(q)}`);
      const junkPath = fc
        .tuple(fc.constantFrom('/api/v1/', '/api/v1/products/', '/api/v1/image/', '/admin/v1/'), anyText, rawTail)
        .map(([p, s, t]) => `${p}${enc(s)}${t}`);
      const path = fc.oneof(
        { weight: 6, arbitrary: usage },
        { weight: 2, arbitrary: other },
        { weight: 1, arbitrary: junkPath },
      );
      await fc.assert(
        fc.asyncProperty(path, fc.constantFrom('GET', 'GET', 'HEAD', 'DELETE'), async (p, m) => {
          await asClient(m, p);
        }),
        fuzzParams(900, 4000),
      );
    },
    timeoutFor(4000),
  );
});

describe('REST fuzz: auth bodies', () => {
  it(
    'POST /api/v1/auth/token, /refresh and /revoke with any body (never a live token of ours)',
    async () => {
      const secretish = fc.oneof(
        anyText,
        anyJson,
        anyText.map((s) => `kc_rt_${s}`),
        anyText.map((s) => `kc_live_${s}`),
        fc.constant(fz.client.clientId),
      );
      const scope = fc.oneof(
        fc.constantFrom('brand:*', 'brand:* ownership:*', 'brand:Acme', 'ownership:%ZZ', 'brand:', 'products.read'),
        anyText,
      );
      const token = fc.record(
        { client_id: secretish, api_key: secretish, grant_type: anyText, client_secret: secretish, scope },
        { requiredKeys: ['client_id'] },
      );
      const refresh = fc.record({ refresh_token: secretish }, { requiredKeys: [] });
      const revoke = fc.record(
        { token: secretish, token_type_hint: fc.oneof(fc.constantFrom('access_token', 'refresh_token'), anyText) },
        { requiredKeys: ['token'] },
      );
      const route = fc.oneof(
        fc.tuple(
          fc.constant('/api/v1/auth/token'),
          bodyText(fc.oneof({ weight: 4, arbitrary: token }, { weight: 1, arbitrary: anyJson })),
        ),
        fc.tuple(fc.constant('/api/v1/auth/refresh'), bodyText(fc.oneof(refresh, anyJson))),
        fc.tuple(fc.constant('/api/v1/auth/revoke'), bodyText(fc.oneof(revoke, anyJson))),
      );
      const type = fc.constantFrom(
        'application/json',
        'application/json',
        'application/x-www-form-urlencoded',
        'text/plain',
      );
      await fc.assert(
        fc.asyncProperty(route, type, idemKey, async ([p, b], t, k) => {
          const opts = json(b, t);
          if (k) opts.headers!['idempotency-key'] = k;
          await serially(async () => expectContractAnswer('POST', await send(fz.app, 'POST', p, opts), `POST ${p}`));
        }),
        fuzzParams(600, 3000),
      );
      // The fuzzing client's own token still works: nothing above revoked it.
      expect((await asClient('GET', '/api/v1/balance')).status).toBe(200);
    },
    timeoutFor(3000),
  );

  it(
    'POST /api/v1/auth/token, OAuth2 form with the right credentials and any scope (docs/rest.md#oauth2-scope)',
    async () => {
      const token = fc.stringMatching(/^(brand|ownership|[a-z.]{0,8}):?[\x20-\x7e]{0,12}$/);
      const scope = fc.oneof(
        fc
          .array(fc.oneof(token, fc.constantFrom('brand:*', 'ownership:*', 'brand:%E0%A4', 'brand:%20')), {
            maxLength: 4,
          })
          .map((t) => t.join(' ')),
        anyText,
      );
      await fc.assert(
        fc.asyncProperty(scope, async (sc) => {
          const body = new URLSearchParams({
            grant_type: 'client_credentials',
            client_id: fz.client.clientId,
            client_secret: fz.client.apiKey,
            scope: sc,
          }).toString();
          const r = await serially(() => send(fz.app, 'POST', '/api/v1/auth/token', json(body, FORM)));
          expectContractAnswer('POST', r, `POST /api/v1/auth/token scope ${JSON.stringify(sc)}`);
          // The fuzzing client may read every brand and ownership: a scope is granted whole or refused as malformed.
          if (r.status === 200) expect(r.json.scope).toBe('brand:* ownership:*');
          else expect(r.json.error, r.text).toBe('invalid_scope');
        }),
        fuzzParams(300, 2000),
      );
    },
    timeoutFor(2000),
  );
});

describe('REST fuzz: admin', () => {
  it(
    'admin JSON bodies: accounts, clients, PATCH, credits, pricing, product upsert',
    async () => {
      const [pricingBefore] = await fz.app.db.sql`select json_object_agg(action, rate) as r from pricing`;
      const name = fc.oneof(fc.constant('Fuzz'), anyText, anyJson);
      const credits = fc.oneof(
        fc.double(),
        fc.integer().map(String),
        anyText,
        anyJson,
        fc.constantFrom('2.6', 1e12, '-1', '0.00001'),
      );
      const cidr = fc.oneof(
        fc.constantFrom(
          '10.0.0.0/8',
          '::1',
          '1.2.3.4',
          '::ffff:1.2.3.4',
          'fe80::1%eth0',
          '0.0.0.0/0',
          '1.2.3.4/33',
          '::/0',
        ),
        anyText,
      );
      const nameList = fc.oneof(fc.array(anyText, { maxLength: 3 }), anyJson, fc.constant(null));
      const client = mutated(
        {
          name: 'Fuzz client',
          tier: 'standard',
          ip_allowlist: ['10.0.0.0/8'],
          scope: { brands: ['Acme'], ownerships: null } as unknown,
          expires_at: '2099-01-01T00:00:00Z',
          enabled: true,
          limits: { per_minute: 100, per_day: 1000 } as unknown,
        },
        {
          name,
          tier: fc.oneof(fc.constantFrom('free', 'standard', 'enterprise'), anyText),
          ip_allowlist: fc.oneof(fc.array(cidr, { minLength: 1, maxLength: 3 }), anyJson),
          scope: fc.oneof(fc.record({ brands: nameList, ownerships: nameList }, { requiredKeys: [] }), anyJson),
          expires_at: fc.oneof(timestampish, anyJson, fc.constant(null)),
          enabled: anyJson,
          limits: fc.oneof(
            fc.record(
              { per_minute: fc.oneof(fc.integer(), fc.double(), anyJson), per_day: fc.oneof(fc.integer(), anyJson) },
              { requiredKeys: [] },
            ),
            anyJson,
          ),
        },
      );
      const text = fc.oneof(fc.constant('x'), anyText, anyJson, fc.constant(null));
      const amount = fc.oneof(fc.double(), fc.integer(), anyText, anyJson);
      const hechsher = mutated(
        {
          symbol: 'OU-D',
          org: 'Orthodox Union',
          dairy_meat_pareve: 'dairy',
          dairy_equipment: false,
          passover: false,
          qualifiers: ['chalav_yisrael'],
        },
        {
          symbol: text,
          org: text,
          dairy_meat_pareve: fc.oneof(fc.constantFrom('dairy', 'meat', 'pareve'), anyText),
          dairy_equipment: anyJson,
          passover: anyJson,
          qualifiers: fc.oneof(fc.array(anyText, { maxLength: 3 }), anyJson),
        },
      );
      const product = mutated(
        {
          brand: 'Fuzz Brand',
          product_name: 'Fuzz Product',
          ownership: 'Studio A',
          product_description: 'd',
          net_weight: '1 oz',
          category: 'Snacks',
          ingredients: 'flour',
          bracha: 'shehakol',
          kosher_for_passover: false,
          hechshers: [] as unknown[],
          allergens: ['milk'],
          nutrition_facts: { calories: 140, sodium_mg: 5, serving_size: '1 oz' } as unknown,
        },
        {
          brand: text,
          product_name: text,
          ownership: text,
          product_description: text,
          net_weight: text,
          category: text,
          ingredients: text,
          bracha: fc.oneof(fc.constantFrom('hamotzi', null), anyText),
          kosher_for_passover: anyJson,
          hechshers: fc.oneof(fc.array(hechsher, { minLength: 1, maxLength: 2 }), anyJson),
          allergens: fc.oneof(fc.array(anyText, { maxLength: 3 }), anyJson),
          nutrition_facts: fc.oneof(
            fc.constant(null),
            mutated(
              { calories: 1, sodium_mg: 2, serving_size: 's' },
              { calories: amount, sodium_mg: amount, serving_size: text },
            ),
            anyJson,
          ),
        },
      );
      const freshBarcode = fc.stringMatching(/^[1-9][0-9]{11}$/).map(withCheckDigit);
      const acct = fc.oneof(
        { weight: 3, arbitrary: fc.constant(fz.victim.accountId) },
        { weight: 1, arbitrary: anyText },
      );
      const request = fc.oneof(
        fc.tuple(
          fc.constant('POST'),
          fc.constant('/admin/v1/accounts'),
          bodyText(fc.oneof(mutated({ name: 'Fuzz', credits: 5 }, { name, credits }), anyJson)),
        ),
        fc.tuple(
          fc.constant('POST'),
          acct.map((a) => `/admin/v1/accounts/${enc(a)}/clients`),
          bodyText(fc.oneof(client, anyJson)),
        ),
        fc.tuple(
          fc.constant('PATCH'),
          fc.constant(`/admin/v1/clients/${fz.victim.clientId}`),
          bodyText(fc.oneof(client, anyJson)),
        ),
        fc.tuple(
          fc.constant('POST'),
          acct.map((a) => `/admin/v1/accounts/${enc(a)}/credits`),
          bodyText(fc.oneof(mutated({ amount: 1, reason: 'fuzz' }, { amount: credits, reason: text }), anyJson)),
        ),
        fc.tuple(
          fc.constant('PUT'),
          fc.constant('/admin/v1/pricing'),
          bodyText(
            fc.oneof(
              fc.record({
                actions: fc.oneof(
                  fc.dictionary(fc.oneof(fc.constantFrom('products.get', 'products.head'), anyText), credits, {
                    maxKeys: 3,
                  }),
                  anyJson,
                ),
              }),
              anyJson,
            ),
          ),
        ),
        fc.tuple(
          fc.constant('PUT'),
          fc
            .oneof(freshBarcode, fc.constantFrom(...fz.barcodes), barcodeish)
            .map((b) => `/admin/v1/products/${enc(b)}`),
          bodyText(fc.oneof({ weight: 6, arbitrary: product }, { weight: 1, arbitrary: anyJson })),
        ),
      );
      await fc.assert(
        fc.asyncProperty(request, idemKey, async ([m, p, b], k) => {
          const opts = json(b);
          if (k) opts.headers!['idempotency-key'] = k;
          else if (p.endsWith('/credits'))
            opts.headers!['idempotency-key'] = `fuzz-${Math.random().toString(36).slice(2)}-0123456789`;
          await asAdmin(m, p, opts);
        }),
        fuzzParams(900, 6000),
      );
      await serially(
        async () => fz.app.db.sql`update pricing p set rate = (${pricingBefore.r}::jsonb ->> p.action)::bigint`,
      );
    },
    timeoutFor(6000),
  );

  it(
    'admin ids in paths and signed-URL tokens to trace',
    async () => {
      const id = fc.oneof(fc.constantFrom(fz.victim.accountId, fz.victim.clientId, 'acct_nope', 'cl_nope'), anyText);
      const claims = {
        gid: 'grt_x',
        rid: 'req_x',
        client_id: fz.client.clientId,
        account_id: fz.client.accountId,
        tier: 'standard',
        barcode: '00012345678905',
        printed: '012345678905',
        variant: 'front',
        size: 'original',
        format: 'original',
        ip: '127.0.0.1',
        iat: 1_700_000_000,
        exp: 1_700_000_900,
        nonce: 'n',
        kid: 'u1',
      };
      const token = fc.oneof(
        fc
          .array(
            fc.tuple(fc.constantFrom(...Object.keys(claims)), fc.oneof(anyJson, fc.integer(), fc.double(), nasty)),
            {
              maxLength: 3,
            },
          )
          .map((edits) => {
            const c: Record<string, unknown> = { ...claims };
            for (const [k, v] of edits) c[k] = v;
            return `${Buffer.from(JSON.stringify(c)).toString('base64url')}.${'A'.repeat(43)}`;
          }),
        anyText,
      );
      const request = fc.oneof(
        id.map((i) => ['GET', `/admin/v1/accounts/${enc(i)}`]),
        id.map((i) => ['GET', `/admin/v1/accounts/${enc(i)}/clients`]),
        id.map((i) => ['GET', `/admin/v1/clients/${enc(i)}`]),
        anyText.map((i) => ['POST', `/admin/v1/clients/${enc(i)}/rotate-key`]),
        token.map((t) => ['GET', `/admin/v1/trace/${enc(t)}`]),
        token.map((t) => ['GET', `/api/v1/image/${enc(t)}`]),
      );
      await fc.assert(
        fc.asyncProperty(request, async ([m, p]) => {
          await asAdmin(m, p);
        }),
        fuzzParams(500, 4000),
      );
    },
    timeoutFor(4000),
  );

  it(
    'upload headers X-Photo-Date, X-Uploaded-By, X-Source-Batch and query forms: refused before a blob',
    async () => {
      const target = fz.barcodes[2];
      // fetch sends header values only as Latin-1 without controls; the query form carries the rest.
      const headerSafe = (a: fc.Arbitrary<string>) => a.map((s) => s.replace(/[^\t\x20-\x7e\xa0-\xff]/g, '').trim());
      const meta = fc.record(
        {
          'x-photo-date': headerSafe(fc.oneof(dateish, timestampish)),
          'x-uploaded-by': headerSafe(anyText),
          'x-source-batch': headerSafe(anyText),
        },
        { requiredKeys: [] },
      );
      const query = fc.array(
        fc.oneof(
          pair(fc.constant('photo_date'), dateish),
          pair(fc.constant('uploaded_by'), anyText),
          pair(fc.constant('source_batch'), anyText),
        ),
        { maxLength: 2 },
      );
      const variant = fc.oneof(
        { weight: 4, arbitrary: fc.constant('front') },
        { weight: 1, arbitrary: fc.oneof(fc.constantFrom('back', 'front_clean'), anyText) },
      );
      const barcode = fc.oneof({ weight: 4, arbitrary: fc.constant(target) }, { weight: 1, arbitrary: barcodeish });
      const type = fc.constantFrom('image/jpeg', 'image/jpeg', 'image/jpeg', 'image/png', 'text/plain');
      await fc.assert(
        fc.asyncProperty(
          meta,
          query,
          variant,
          barcode,
          type,
          fc.integer({ min: 0, max: 0xffffff }),
          async (h, q, v, b, t, rgb) => {
            const body = new Uint8Array(await jpegOf(rgb));
            const p = `/admin/v1/products/${enc(b)}/images/${enc(v)}${queryOf(q)}`;
            await serially(async () => {
              const blobsBefore = await blobFiles(fz.app);
              const r = await checkedAdmin('PUT', p, { body, headers: { 'content-type': t, ...h } });
              if (r.status >= 400)
                expect(await blobFiles(fz.app), `blobs after PUT ${p} -> ${r.status}`).toBe(blobsBefore);
            });
          },
        ),
        fuzzParams(150, 4000),
      );
    },
    timeoutFor(4000),
  );

  it(
    'POST /admin/v1/identify with any bytes and barcode/variant hints',
    async () => {
      const query = fc.array(
        fc.oneof(pair(fc.constant('barcode'), barcodeish), pair(fc.constant('variant'), anyText)),
        {
          maxLength: 2,
        },
      );
      await fc.assert(
        fc.asyncProperty(
          query,
          fc.uint8Array({ maxLength: 64 }),
          fc.constantFrom('image/jpeg', 'application/octet-stream', 'text/plain'),
          async (q, bytes, t) => {
            await asAdmin('POST', `/admin/v1/identify${queryOf(q)}`, { body: bytes, headers: { 'content-type': t } });
          },
        ),
        fuzzParams(60, 1000),
      );
    },
    timeoutFor(1000),
  );
});
