// Strict query parameters over HTTP (docs/rest.md#query-parameters), held against schema/openapi.yaml: every
// operation of the document takes exactly the query parameters it lists, in every list form, and refuses anything
// else with 400 unknown_parameter before its handler runs; a scalar given twice is 400 bad_request; the bounds
// (100 parameters, 8,192 bytes, a 1 MB request line) answer 400/414 with the error body. Nothing is ever charged.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { call, type JsonResponse } from '../../helpers/http.ts';
import { useStrictOpenApi } from '../../helpers/openapi.ts';
import { repoRoot } from '../../helpers/paths.ts';
import { type SignedInClient, seed } from '../../helpers/testkit.ts';

useStrictOpenApi();

// The document is read as data: any shape.
type Json = any;
const spec: Json = parse(readFileSync(path.join(repoRoot, 'schema/openapi.yaml'), 'utf8'));
const METHODS = ['get', 'head', 'post', 'put', 'patch', 'delete'];

interface Operation {
  method: string;
  template: string;
  access: 'public' | 'client' | 'admin';
  query: { name: string; list: boolean; sample: string }[];
}

const deref = (n: Json): Json =>
  n?.$ref
    ? n.$ref
        .slice(2)
        .split('/')
        .reduce((o: Json, k: string) => o[k], spec)
    : n;

/** A value of the parameter's schema (its enum, example or default first), as it goes into a query string. */
function sampleOf(schema: Json): string {
  const s = deref(schema);
  const first = s.items ? deref(s.items) : s;
  if (first.enum) return String(first.enum[0]);
  if (s.example !== undefined) return String(Array.isArray(s.example) ? s.example[0] : s.example);
  if (first.format === 'date') return '2026-01-01';
  if (first.type === 'integer') return String(first.minimum ?? 1);
  if (first.type === 'boolean') return 'true';
  return 'x';
}

const operations: Operation[] = Object.entries(spec.paths as Record<string, Json>).flatMap(([template, item]) =>
  METHODS.filter((m) => item[m]).map((m) => {
    const op = item[m];
    const params = [...(item.parameters ?? []), ...(op.parameters ?? [])].map(deref);
    const security = op.security ?? spec.security;
    const access = template.startsWith('/admin/')
      ? 'admin'
      : security.some((s: Json) => Object.keys(s).length === 0)
        ? 'public'
        : 'client';
    return {
      method: m.toUpperCase(),
      template,
      access,
      query: params
        .filter((p: Json) => p.in === 'query')
        .map((p: Json) => ({ name: p.name, list: deref(p.schema).type === 'array', sample: sampleOf(p.schema) })),
    };
  }),
);

let app: TestApp;
let c: SignedInClient;
let barcodeOf: string;

beforeAll(async () => {
  app = await startTestApp();
  c = await seed(app).client({ tier: 'enterprise', credits: 100 });
  barcodeOf = (await seed(app).product({ meta: 'full', imageRows: ['front', 'back'] })).barcode;
});
afterAll(async () => {
  await app?.close();
});

/** The path of an operation with every path parameter filled in (existing ids where a route needs one). */
function pathOf(template: string): string {
  const fill: Record<string, string> = {
    barcode: barcodeOf,
    account_id: c.accountId,
    client_id: c.clientId,
    webhook_id: 'wh_00000000000000000000000000',
    token: 'not-a-token',
    variant: 'front',
  };
  return template.replace(/\{([a-z_]+)\}/g, (_, n: string) => fill[n] ?? 'x');
}

function send(op: Operation, query: string): Promise<JsonResponse> {
  const token = op.access === 'admin' ? app.adminToken : op.access === 'client' ? c.accessToken : undefined;
  return call(app.url, `${pathOf(op.template)}${query}`, { method: op.method, token });
}

async function money(): Promise<string> {
  const [r] = await app.db.sql`
    select a.balance, (select count(*) from credit_ledger l where l.account_id = a.account_id) as n
    from accounts a where a.account_id = ${c.accountId}`;
  return `${r.balance}/${r.n}`;
}

function expectRefused(r: JsonResponse, method: string, code: string, named: string, where: string): void {
  expect(r.status, `${where}: ${JSON.stringify(r.body)}`).toBe(400);
  expect(r.headers.get('x-credits-debited'), where).toBe('0');
  if (method === 'HEAD') return; // no body
  expect(r.body, where).toEqual({
    error: code,
    message: expect.stringContaining(`\`${named}\``),
    request_id: r.headers.get('x-request-id'),
  });
}

describe('every operation of schema/openapi.yaml takes exactly its documented query parameters', () => {
  it('covers every /api/v1 and /admin/v1 operation, and the product read takes include/variants as lists', () => {
    expect(operations.length).toBeGreaterThan(40);
    const read = operations.find((o) => o.method === 'GET' && o.template === '/api/v1/products/{barcode}')!;
    expect(read.query.map((q) => [q.name, q.list])).toEqual([
      ['include', true],
      ['variants', true],
      ['image_size', false],
      ['image_format', false],
    ]);
    for (const op of operations) expect(op.template, op.template).toMatch(/^\/(api|admin)\/v1\//);
  });

  it('an undocumented parameter is 400 unknown_parameter naming it, on every operation, and charges nothing', async () => {
    const before = await money();
    for (const op of operations) {
      const where = `${op.method} ${op.template}`;
      expectRefused(await send(op, '?zz_typo=1'), op.method, 'unknown_parameter', 'zz_typo', where);
      // A documented parameter's name with other case, or in a bracket form it does not take, is not it.
      const first = op.query[0];
      if (first) {
        const upper = first.name.toUpperCase();
        expectRefused(await send(op, `?${upper}=${first.sample}`), op.method, 'unknown_parameter', upper, where);
      }
    }
    // HEAD of a product takes none of the read's parameters: they would change neither its answer nor its price.
    const head = operations.find((o) => o.method === 'HEAD')!;
    expect(head.query).toEqual([]);
    expect((await send(head, '?include=images')).status).toBe(400);
    expect(await money()).toBe(before);
  });

  it('a documented parameter is taken in its declared form, and a list in every list form', async () => {
    for (const op of operations) {
      for (const q of op.query) {
        const forms = q.list
          ? [`${q.name}=${q.sample}`, `${q.name}%5B%5D=${q.sample}`, `${q.name}%5B0%5D=${q.sample}`]
          : [`${q.name}=${encodeURIComponent(q.sample)}`];
        for (const form of forms) {
          const r = await send(op, `?${form}`);
          const where = `${op.method} ${op.template}?${form} -> ${r.status} ${JSON.stringify(r.body)}`;
          expect(r.status, where).toBeLessThan(500);
          if (r.status === 400) expect(r.body.error, where).not.toBe('unknown_parameter');
        }
      }
    }
  });

  it('a single-value parameter given twice, or in brackets, is 400 bad_request naming it, and charges nothing', async () => {
    const before = await money();
    let scalars = 0;
    for (const op of operations) {
      for (const q of op.query.filter((x) => !x.list)) {
        const v = encodeURIComponent(q.sample);
        const where = `${op.method} ${op.template} ${q.name}`;
        expectRefused(await send(op, `?${q.name}=${v}&${q.name}=${v}`), op.method, 'bad_request', q.name, where);
        expectRefused(await send(op, `?${q.name}%5B%5D=${v}`), op.method, 'bad_request', q.name, where);
        scalars++;
      }
    }
    expect(scalars).toBeGreaterThan(15);
    expect(await money()).toBe(before);
  });
});

describe('usage: repeated parameters (issue 24)', () => {
  const usage = (q: string) => call(app.url, `/api/v1/usage${q}`, { token: c.accessToken });

  it('group_by in the repeated or bracket form means the same dimensions as the comma list', async () => {
    const comma = await usage('?group_by=client,day');
    expect(comma.status).toBe(200);
    expect(comma.body.group_by).toEqual(['client', 'day']);
    for (const q of [
      '?group_by=client&group_by=day',
      '?group_by[]=client&group_by[]=day',
      '?group_by[0]=client&group_by=day',
    ]) {
      const r = await usage(q);
      expect(r.status, q).toBe(200);
      expect(r.body.group_by, q).toEqual(['client', 'day']);
    }
    const twice = await usage('?group_by=day&group_by=day');
    expect(twice.status).toBe(400);
    expect(twice.body.error).toBe('bad_request');
  });

  it('from or to given twice is 400 bad_request naming it, not the first value', async () => {
    for (const name of ['from', 'to']) {
      const r = await usage(`?${name}=2026-01-01&${name}=2026-01-02`);
      expectRefused(r, 'GET', 'bad_request', name, name);
    }
  });
});

describe('bounds: the number of parameters and the length of the query', () => {
  const balance = (q: string) => call(app.url, `/api/v1/balance${q}`, { token: c.accessToken });

  it('more than 100 parameters: 400 bad_request; a query over 8,192 bytes: 414 uri_too_long; nothing charged', async () => {
    const before = await money();
    const many = `?${Array.from({ length: 101 }, () => 'include=images').join('&')}`;
    const r = await call(app.url, `/api/v1/products/${barcodeOf}${many}`, { token: c.accessToken });
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ error: 'bad_request', message: expect.stringContaining('at most 100') });
    const long = await balance(`?x=${'a'.repeat(9000)}`);
    expect(long.status).toBe(414);
    expect(long.body).toEqual({
      error: 'uri_too_long',
      message: expect.any(String),
      request_id: long.headers.get('x-request-id'),
    });
    // Refused by the pipeline: the client's headers, as on any answer to it.
    const [row] = await app.db.sql`select balance from accounts where account_id = ${c.accountId}`;
    expect(long.headers.get('x-credits-remaining')).toBe(String(Number(row.balance) / 10_000));
    expect(long.headers.get('x-ratelimit-remaining-minute')).toMatch(/^\d+$/);
    expect(await money()).toBe(before);
  });

  it('the worst values, 10,000 parameters and a 1 MB query string, get a 414 with the error body', async () => {
    const before = await money();
    for (const q of [`?${'a=1&'.repeat(10_000)}`, `?include=${'x'.repeat(1 << 20)}`]) {
      const r = await call(app.url, `/api/v1/products/${barcodeOf}${q}`, { token: c.accessToken });
      expect(r.status).toBe(414);
      expect(r.body).toEqual({
        error: 'uri_too_long',
        message: expect.any(String),
        request_id: r.headers.get('x-request-id'),
      });
      expect(r.headers.get('x-request-id')).toMatch(/^req_[0-9A-HJKMNP-TV-Z]{26}$/);
      expect(r.headers.get('x-credits-debited')).toBe('0');
    }
    // The server is unharmed and still serves the same client.
    expect((await balance('')).status).toBe(200);
    expect(await money()).toBe(before);
  });

  it('a flood of typos in parallel: every one refused, none charged, the server still answers', async () => {
    const before = await money();
    const answers = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        call(app.url, `/api/v1/products/${barcodeOf}?inlcude=product_meta&n${i}=1`, { token: c.accessToken }),
      ),
    );
    expect(answers.map((a) => a.body.error)).toEqual(Array(60).fill('unknown_parameter'));
    expect(await money()).toBe(before);
    const ok = await call(app.url, `/api/v1/products/${barcodeOf}?include=product_meta`, { token: c.accessToken });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('x-credits-debited')).toBe('0.5');
  });
});
