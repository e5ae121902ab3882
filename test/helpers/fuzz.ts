// Shared pieces of the REST fuzz tests: one app with a fuzzing client whose limits are high enough that the
// fuzzer tests validation rather than 429s, arbitraries for hostile input, and the checks every response must
// pass (no 5xx, the contract error body, no debit and nothing stored on an error).
import { randomBytes } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import fc from 'fast-check';
import sharp from 'sharp';
import { expect } from 'vitest';
import { withCheckDigit } from '../../src/modules/catalog/gtin.ts';
import { startTestApp, type TestApp } from './app.ts';
import { type SignedInClient, seed } from './testkit.ts';

/** Fixed by default so a run is reproducible; FUZZ_SEED overrides it. Printed by fast-check on failure. */
export const SEED = Number(process.env.FUZZ_SEED ?? 20261126);

/**
 * numRuns, bounded in time as well: on a quiet machine every property finishes its runs (about 35 s in all);
 * on a busy one each stops at its share of a 47 s budget, and the runs made so far still count.
 */
export const fuzzParams = (numRuns: number, budgetMs: number) => ({
  seed: SEED,
  numRuns,
  verbose: 1 as const,
  endOnFailure: true,
  interruptAfterTimeLimit: budgetMs,
  markInterruptAsFailure: false,
});

/** vitest's per-test timeout for a property with this budget (app calls after the runs included). */
export const timeoutFor = (budgetMs: number) => budgetMs + 20_000;

/** The error table of docs/errors.md: every error a client can see, with its status. */
const ERROR_STATUS: Record<string, number> = {
  bad_request: 400,
  invalid_barcode: 400,
  unknown_parameter: 400,
  unauthenticated: 401,
  invalid_credentials: 401,
  refresh_token_invalid: 401,
  refresh_token_reused: 401,
  insufficient_credits: 402,
  client_disabled: 403,
  client_ip_not_allowed: 403,
  out_of_scope: 403,
  forbidden: 403,
  signed_url_invalid: 403,
  signed_url_ip_mismatch: 403,
  not_found: 404,
  variant_not_available: 404,
  route_not_found: 404,
  method_not_allowed: 405,
  idempotency_key_mismatch: 409,
  conflict: 409,
  signed_url_expired: 410,
  signed_url_used: 410,
  payload_too_large: 413,
  uri_too_long: 414,
  unsupported_media_type: 415,
  unprocessable_image: 422,
  rate_limited: 429,
};

export interface Fuzz {
  app: TestApp;
  client: SignedInClient;
  /** A second client of another account, a target for admin PATCH (the fuzzing client must stay usable). */
  victim: SignedInClient;
  barcodes: string[];
  cursors: { barcode: string; updated: string };
  close(): Promise<void>;
}

export async function startFuzzApp(): Promise<Fuzz> {
  const app = await startTestApp({
    env: { RATE_LIMIT_IP_PER_MINUTE: '100000000', AUTH_FAILED_PER_MINUTE: '100000000' },
  });
  const client = await seed(app).client({
    tier: 'enterprise',
    credits: 1_000_000,
    limits: { per_minute: 1_000_000_000, per_day: 1_000_000_000 },
  });
  const victim = await seed(app).client({ tier: 'standard' });
  const products = [
    await seed(app).product({ meta: 'full', imageRows: ['front', 'back'] }),
    await seed(app).product({ meta: 'full', imageRows: ['front_clean'] }),
    await seed(app).product({ meta: 'full' }),
  ];
  const barcodes = products.map((p) => p.barcode);
  // The updated_at order serves rows older than its watermark (half a second before the oldest open
  // transaction): wait that out, so both orders have a next page to hand out a cursor for.
  await new Promise((r) => setTimeout(r, 800));
  const first = async (order: string) => {
    const r = await send(app, 'GET', `/api/v1/products?per_page=1&order=${order}`, { token: client.accessToken });
    expect(r.status).toBe(200);
    return r.json.page_info.next_cursor as string;
  };
  const cursors = { barcode: await first('barcode'), updated: await first('updated_at') };
  return { app, client, victim, barcodes, cursors, close: () => app.close() };
}

export interface Sent {
  status: number;
  headers: Headers;
  text: string;
  json: any;
}

export interface SendOptions {
  token?: string;
  body?: string | Uint8Array;
  headers?: Record<string, string>;
}

/** Raw HTTP: the path goes out exactly as given (the fuzzers encode, or deliberately mis-encode, it). */
export async function send(app: TestApp, method: string, pathAndQuery: string, opts: SendOptions = {}): Promise<Sent> {
  await settled();
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  const run = (async () => {
    const res = await fetch(app.url + pathAndQuery, { method, headers, body: opts.body as BodyInit | undefined });
    const text = await res.text();
    let json: unknown = null;
    if ((res.headers.get('content-type') ?? '').includes('json') && text) json = JSON.parse(text);
    return { status: res.status, headers: res.headers, text, json };
  })();
  inFlight = run.catch(() => undefined);
  return run;
}

// A time-limited property abandons its last run rather than await it, so its request may still be in flight
// when the next run takes its before-snapshot of balances and rows. Requests and checks go one at a time.
let inFlight: Promise<unknown> = Promise.resolve();

/** Resolves once the last request sent has been answered (whether or not anyone still awaits it). */
async function settled(): Promise<void> {
  await inFlight;
}

let lock: Promise<unknown> = Promise.resolve();

/** Runs checks one after another: a request and its before/after snapshots never interleave with another's. */
export function serially<T>(fn: () => Promise<T>): Promise<T> {
  const run = lock.then(fn);
  lock = run.catch(() => undefined);
  return run;
}

/** The OAuth2 token endpoint's error codes (RFC 6749 §5.2), used for form-encoded token requests. */
const OAUTH_ERRORS = [
  'invalid_request',
  'invalid_client',
  'invalid_grant',
  'unauthorized_client',
  'unsupported_grant_type',
  'invalid_scope',
];

/** What every answer must satisfy: no 5xx; an error carries exactly the contract body and no internals. */
export function expectContractAnswer(method: string, r: Sent, where: string): void {
  expect(r.status, `${where}: ${r.text.slice(0, 300)}`).toBeLessThan(500);
  expect(r.headers.get('x-request-id'), where).toMatch(/^req_[0-9A-HJKMNP-TV-Z]{26}$/);
  if (r.status < 400) return;
  expect(r.headers.get('x-credits-debited'), where).toBe('0');
  if (method === 'HEAD') return;
  expect(r.headers.get('content-type'), where).toBe('application/json; charset=utf-8');
  if ('error_description' in r.json) {
    // The OAuth2 form of POST /api/v1/auth/token answers in RFC 6749 §5.2 shape (docs/rest.md#token-exchange).
    expect(where, r.text).toContain('/api/v1/auth/token');
    expect(Object.keys(r.json).sort(), where).toEqual(['error', 'error_description', 'request_id']);
    expect(OAUTH_ERRORS, `${where}: ${r.text}`).toContain(r.json.error);
    expect(r.json.request_id, where).toBe(r.headers.get('x-request-id'));
    expect(r.json.error_description, where).not.toMatch(/\n\s+at |node_modules|\/src\/|SQLSTATE|postgres/i);
    return;
  }
  expect(Object.keys(r.json).sort(), where).toEqual(['error', 'message', 'request_id']);
  expect(ERROR_STATUS[r.json.error], `${where}: ${r.text}`).toBe(r.status);
  expect(r.json.request_id, where).toBe(r.headers.get('x-request-id'));
  expect(typeof r.json.message, where).toBe('string');
  expect(r.json.message, where).not.toMatch(/\n\s+at |node_modules|\/src\/|SQLSTATE|postgres/i);
}

/** The money state of an account: balance and number of ledger rows. */
export async function moneyOf(app: TestApp, accountId: string): Promise<string> {
  const [r] = await app.db.sql<{ balance: bigint; n: bigint }[]>`
    select a.balance, (select count(*) from credit_ledger l where l.account_id = a.account_id) as n
    from accounts a where a.account_id = ${accountId}`;
  return `${r.balance}/${r.n}`;
}

/** Everything an admin write may create or change, as one comparable value. */
export async function storedState(app: TestApp): Promise<string> {
  const [r] = await app.db.sql`
    select (select count(*) from accounts) as accounts, (select count(*) from api_clients) as clients,
           (select count(*) from api_keys) as keys, (select count(*) from credit_ledger) as ledger,
           (select coalesce(sum(balance), 0) from accounts) as balances,
           (select count(*) from products) as products, (select max(updated_at) from products) as products_at,
           (select count(*) from product_images) as images, (select max(upload_date) from product_images) as images_at,
           (select max(updated_at) from pricing) as pricing_at,
           (select max(updated_at) from api_clients) as clients_at`;
  return JSON.stringify(r, (_k, v) => (typeof v === 'bigint' ? String(v) : v));
}

/** Files under the blob store (an orphan blob shows up here). */
export async function blobFiles(app: TestApp): Promise<number> {
  const root = path.join(app.config.dataDir, 'blobs');
  try {
    const entries = await readdir(root, { recursive: true, withFileTypes: true });
    return entries.filter((e) => e.isFile()).length;
  } catch {
    return 0;
  }
}

/** A small JPEG of one colour: a new colour is new bytes, so a new blob. */
export async function jpegOf(rgb: number): Promise<Buffer> {
  const background = { r: (rgb >> 16) & 255, g: (rgb >> 8) & 255, b: rgb & 255 };
  return sharp({ create: { width: 24, height: 24, channels: 3, background } })
    .jpeg({ quality: 80 })
    .toBuffer();
}

// ---------------------------------------------------------------------------------------------------------------
// Arbitraries

/** Values that have broken parsers, PostgreSQL casts or Date before. */
const NASTY = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\ud800',
  'x\udfff',
  '\ud83d\ude00',
  'שלום',
  '%',
  '%00',
  '\\',
  '"',
  "'",
  "'; drop table products; --",
  '0',
  '-1',
  '1.5',
  '1e309',
  '-0',
  'NaN',
  'Infinity',
  '9007199254740993',
  '99999999999999999999',
  'null',
  'true',
  '[]',
  '{}',
  '2026-02-31',
  '2026-13-45T99:99:99Z',
  '0000-01-01',
  '0001-01-01',
  '1969-12-31',
  '10000-01-01',
  '9999-12-31',
  '2026-02-29',
  '2024-02-29T24:00:00Z',
  '2026-01-01T00:00:00+99:99',
  '2026-01-01T00:00:00.1234567Z',
  'x'.repeat(600),
  '9'.repeat(300),
];

export const nasty = fc.constantFrom(...NASTY);
/** Any text: hostile constants, arbitrary code points (binary units include lone surrogates), digits. */
export const anyText = fc.oneof(
  { weight: 3, arbitrary: nasty },
  { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
  { weight: 2, arbitrary: fc.string({ maxLength: 20 }) },
  { weight: 2, arbitrary: fc.stringMatching(/^[0-9]{1,20}$/) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(
        fc.string({ minLength: 1, maxLength: 8 }),
        fc.constantFrom('\u0000', '\ud800', '\udc00', '\u0007'),
        fc.string({ maxLength: 8 }),
      )
      .map((p) => p.join('')),
  },
);

/**
 * A valid object with a few fields replaced by hostile values (or removed): most inputs then pass the schema
 * up to the one bad field, which is where a value slips through to SQL.
 */
export function mutated<T extends Record<string, unknown>>(
  base: T,
  fields: Partial<Record<keyof T, fc.Arbitrary<unknown>>>,
) {
  const keys = Object.keys(fields) as (keyof T & string)[];
  const edit = fc
    .constantFrom(...keys)
    .chain((k) => fc.tuple(fc.constant(k), fc.option(fields[k]!, { nil: undefined, freq: 8 })));
  return fc.array(edit, { maxLength: 2 }).map((edits) => {
    const o: Record<string, unknown> = structuredClone(base);
    for (const [k, v] of edits) {
      if (v === undefined) delete o[k];
      else o[k] = v;
    }
    return o;
  });
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** YYYY-MM-DD with every field allowed out of range, and real dates around the edges. */
export const dateish = fc.oneof(
  fc
    .tuple(fc.integer({ min: 0, max: 12000 }), fc.integer({ min: 0, max: 99 }), fc.integer({ min: 0, max: 99 }))
    .map(([y, m, d]) => `${pad(y, 4)}-${pad(m)}-${pad(d)}`),
  fc
    .date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2200-01-01T00:00:00Z'), noInvalidDate: true })
    .map((d) => d.toISOString().slice(0, 10)),
  nasty,
);

/** ISO date-times with fields out of range, odd fractions and offsets. */
export const timestampish = fc.oneof(
  fc
    .tuple(
      dateish,
      fc.integer({ min: 0, max: 99 }),
      fc.integer({ min: 0, max: 99 }),
      fc.integer({ min: 0, max: 99 }),
      fc.constantFrom('', '.1', '.123456', '.1234567'),
      fc.constantFrom('Z', '', '+02:00', '-05:30', '+99:99', ' 02:00', '+14:00'),
    )
    .map(([d, h, mi, s, f, z]) => `${d}T${pad(h)}:${pad(mi)}:${pad(s)}${f}${z}`),
  fc
    .date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2200-01-01T00:00:00Z'), noInvalidDate: true })
    .map((d) => d.toISOString()),
  dateish,
);

/** Barcode-ish strings: valid ones of several lengths, wrong check digits, and anything. */
export const barcodeish = fc.oneof(
  fc.stringMatching(/^[1-9][0-9]{6,12}$/).map(withCheckDigit),
  fc.stringMatching(/^[0-9]{8,14}$/),
  anyText,
);

/** Percent-encodes what the URL can carry (lone surrogates become U+FFFD, as any client would send them). */
export function enc(s: string): string {
  return encodeURIComponent(Buffer.from(s, 'utf8').toString('utf8'));
}

/** Broken percent-encoding and separators, appended raw to a query value now and then. */
export const rawTail = fc.constantFrom(
  '',
  '',
  '',
  '',
  '%',
  '%zz',
  '%00',
  '%ff',
  '%c3%28',
  '%ed%a0%80',
  '+',
  '&',
  '=',
  '%2C',
  ',',
);

/** A query string from [key, value] pairs (keys may repeat). */
export function queryOf(pairs: [string, string, string][]): string {
  if (pairs.length === 0) return '';
  return '?' + pairs.map(([k, v, tail]) => `${enc(k)}=${enc(v)}${tail}`).join('&');
}

/** Arbitrary JSON, with hostile strings inside. */
export const anyJson: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    anyText,
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(anyText, tie('value'), { maxKeys: 4 }),
  ),
})).value;

/** A JSON body as the wire carries it: usually JSON.stringify (lone surrogates as \\u escapes), sometimes junk. */
export const bodyText = (value: fc.Arbitrary<unknown>) =>
  fc.oneof(
    { weight: 8, arbitrary: value.map((v) => JSON.stringify(v) ?? 'null') },
    { weight: 1, arbitrary: anyText },
    { weight: 1, arbitrary: value.map((v) => (JSON.stringify(v) ?? '').slice(0, -1)) },
  );

/** A fresh-looking Idempotency-Key, or a broken one. */
export const idemKey = fc.oneof(
  fc.constant(undefined),
  fc.constant(undefined),
  fc.stringMatching(/^[A-Za-z0-9-]{20,40}$/),
  fc.constantFrom('short', 'x'.repeat(256), 'has space in it and more text', `k-${randomBytes(12).toString('hex')}`),
);
