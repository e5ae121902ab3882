// Deprecated REST operations (docs/versioning.md): a route declared `deprecated` answers, errors and HEAD
// included, with `Deprecation: @<unix seconds>` (RFC 9745), `Sunset: <IMF-fixdate>` (RFC 8594) when a sunset is
// set, and `Link: <…>; rel="deprecation"` beside a route's own Link; other routes carry none of them. Nothing
// in v1 is deprecated today, so the routes are a test module's, composed into the real app after its own. The
// start-up check holds schema/openapi.yaml's `deprecated: true` operations to the deprecated routes.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { AppError } from '../../../src/kernel/errors.ts';
import { DEPRECATION_POLICY_PAGE, deprecationHeaders } from '../../../src/platform/http/deprecation.ts';
import type { Route } from '../../../src/platform/http/router.ts';
import type { Module } from '../../../src/platform/module.ts';
import { deprecationMismatches } from '../../../src/platform/openapi/openapi.routes.ts';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { repoRoot } from '../../helpers/paths.ts';

const SINCE = '2026-12-01';
const SUNSET = '2027-03-01';
const LINK = `<${DEPRECATION_POLICY_PAGE}>; rel="deprecation"; type="text/html"`;

const routes: Route[] = [
  {
    method: 'GET',
    path: '/api/v1/test-deprecated/:id',
    access: 'public',
    deprecated: { since: SINCE, sunset: SUNSET },
    async handler({ params }) {
      if (params.id === 'missing') throw new AppError('not_found', 'No such thing.');
      return { status: 200, json: { id: params.id }, headers: { Link: '</api/v1/test-deprecated/2>; rel="next"' } };
    },
  },
  {
    method: 'POST',
    path: '/api/v1/test-deprecated-no-sunset',
    access: 'public',
    deprecated: { since: SINCE },
    handler: async () => ({ status: 200, json: { ok: true } }),
  },
];
const testModule: Module = { name: 'test-deprecated', routes };

describe('deprecated REST operations', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ modules: [testModule] });
  });
  afterAll(async () => {
    await app.close();
  });
  const get = (p: string, init?: RequestInit) => fetch(`${app.url}${p}`, init);

  it('a deprecated operation answers with Deprecation, Sunset and its Link beside the route’s own', async () => {
    const res = await get('/api/v1/test-deprecated/1');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ id: '1' });
    expect(res.headers.get('deprecation')).toBe(`@${Date.UTC(2026, 11, 1) / 1000}`);
    expect(res.headers.get('deprecation')).toBe('@1796083200');
    expect(res.headers.get('sunset')).toBe('Mon, 01 Mar 2027 00:00:00 GMT');
    expect(res.headers.get('link')).toBe(`</api/v1/test-deprecated/2>; rel="next", ${LINK}`);
  });

  it('a browser script on another origin may read them', async () => {
    const res = await get('/api/v1/test-deprecated/1', { headers: { origin: 'https://shop.example' } });
    expect(res.status).toBe(200);
    const exposed = (res.headers.get('access-control-expose-headers') ?? '').split(/,\s*/);
    expect(exposed).toEqual(expect.arrayContaining(['Deprecation', 'Sunset', 'Link']));
  });

  it('its errors and its HEAD answers carry them too', async () => {
    const err = await get('/api/v1/test-deprecated/missing');
    expect(err.status).toBe(404);
    expect((await err.json()).error).toBe('not_found');
    expect(err.headers.get('deprecation')).toBe('@1796083200');
    expect(err.headers.get('sunset')).toBe('Mon, 01 Mar 2027 00:00:00 GMT');
    expect(err.headers.get('link')).toBe(LINK);
    const bad = await get('/api/v1/test-deprecated/1?nope=1');
    expect(bad.status).toBe(400);
    expect(bad.headers.get('deprecation')).toBe('@1796083200');
    const head = await get('/api/v1/test-deprecated/1', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('deprecation')).toBe('@1796083200');
    expect(head.headers.get('sunset')).toBe('Mon, 01 Mar 2027 00:00:00 GMT');
  });

  it('without a sunset date there is no Sunset header', async () => {
    const res = await get('/api/v1/test-deprecated-no-sunset', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('deprecation')).toBe('@1796083200');
    expect(res.headers.has('sunset')).toBe(false);
    expect(res.headers.get('link')).toBe(LINK);
  });

  it('operations that are not deprecated carry none of them', async () => {
    for (const p of ['/api/v1/pricing', '/api/v1/health', '/api/v1/openapi.json', '/api/v1/nowhere']) {
      const res = await get(p);
      expect(res.status, p).toBeLessThan(500);
      expect(res.headers.has('deprecation'), p).toBe(false);
      expect(res.headers.has('sunset'), p).toBe(false);
      expect(res.headers.get('link') ?? '', p).not.toContain('rel="deprecation"');
    }
  });
});

describe('declaring a deprecation', () => {
  it('refuses a malformed date or a sunset not after the deprecation, at start-up', () => {
    expect(() => deprecationHeaders('GET /x', { since: '2026-13-01' })).toThrow(/since must be a date/);
    expect(() => deprecationHeaders('GET /x', { since: '1 Dec 2026' })).toThrow(/since must be a date/);
    expect(() => deprecationHeaders('GET /x', { since: SINCE, sunset: '2026-02-30' })).toThrow(/sunset must be/);
    expect(() => deprecationHeaders('GET /x', { since: SINCE, sunset: SINCE })).toThrow(/must come after/);
  });

  it('schema/openapi.yaml must mark exactly the deprecated routes’ operations deprecated', () => {
    const doc = parse(readFileSync(path.join(repoRoot, 'schema/openapi.yaml'), 'utf8'));
    const pricing: Route = {
      method: 'GET',
      path: '/api/v1/pricing',
      access: 'public',
      handler: async () => ({ status: 200 }),
    };
    const product: Route = { ...pricing, path: '/api/v1/products/:code', access: 'client' };
    // Today: nothing deprecated on either side.
    expect(deprecationMismatches(doc, [pricing, product])).toEqual([]);
    // A route declared deprecated whose operation the document does not mark.
    expect(deprecationMismatches(doc, [pricing, { ...product, deprecated: { since: SINCE } }])).toEqual([
      'GET /api/v1/products/{barcode} is deprecated but not marked deprecated',
    ]);
    // Both sides agree (the parameter's name may differ).
    doc.paths['/api/v1/products/{barcode}'].get.deprecated = true;
    expect(deprecationMismatches(doc, [pricing, { ...product, deprecated: { since: SINCE } }])).toEqual([]);
    // The document marks an operation whose route is not deprecated.
    expect(deprecationMismatches(doc, [pricing, product])).toEqual([
      'GET /api/v1/products/{barcode} is marked deprecated but its route is not',
    ]);
  });
});
