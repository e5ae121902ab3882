// The OpenAPI document: served as JSON, lints clean, and the response validator used by every REST test
// actually rejects what the spec does not allow.

import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { call } from '../../helpers/http.ts';
import { specViolations, useStrictOpenApi } from '../../helpers/openapi.ts';
import { repoRoot as root } from '../../helpers/paths.ts';
import { seed } from '../../helpers/testkit.ts';

useStrictOpenApi();

describe('OpenAPI contract', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => {
    await app.close();
  });

  it('is served at /api/v1/openapi.json, publicly, equal to schema/openapi.yaml', async () => {
    const res = await call(app.url, '/api/v1/openapi.json');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(res.body).toEqual(parse(readFileSync(path.join(root, 'schema/openapi.yaml'), 'utf8')));
    expect(res.body.openapi).toMatch(/^3\.0\./);
  });

  it('describes every REST route the server has', async () => {
    const doc = parse(readFileSync(path.join(root, 'schema/openapi.yaml'), 'utf8'));
    const served = new Set(Object.keys(doc.paths));
    const sources = spawnSync('grep', ['-rhoE', "path: '/(api|admin)/v1/[^']*'", path.join(root, 'src')], {
      encoding: 'utf8',
    }).stdout;
    const routes = [
      ...new Set(
        sources
          .split('\n')
          .filter(Boolean)
          .map((l) => l.slice(7, -1).replace(/:([A-Za-z]+)/g, (_, n) => `{${n}}`)),
      ),
    ];
    expect(routes.length).toBeGreaterThan(10);
    const norm = (p: string) => p.replace(/\{[^}]+\}/g, '{}');
    const documented = new Set([...served].map(norm));
    expect(routes.filter((r) => !documented.has(norm(r)))).toEqual([]);
  });

  it('lints clean with @redocly/cli (recommended rules)', () => {
    const r = spawnSync(
      path.join(root, 'node_modules/.bin/redocly'),
      ['lint', 'schema/openapi.yaml', '--format=summary'],
      { cwd: root, encoding: 'utf8' },
    );
    expect(r.stdout + r.stderr).toContain('valid');
    expect(r.status).toBe(0);
  });

  it('the validator rejects a body, a header or a status the spec does not allow', async () => {
    const c = await seed(app).client();
    const res = await call(app.url, '/api/v1/balance', { token: c.accessToken });
    const seen = { method: 'GET', path: '/api/v1/balance', status: res.status, headers: res.headers, body: res.body };
    expect(specViolations(seen)).toEqual([]);
    expect(specViolations({ ...seen, body: { ...res.body, spent_today: '0' } }).join()).toContain('spent_today');
    expect(specViolations({ ...seen, body: { ...res.body, extra: 1 } }).join()).toContain('additional');
    const noRate = new Headers(res.headers);
    noRate.delete('x-ratelimit-remaining-day');
    expect(specViolations({ ...seen, headers: noRate }).join()).toContain('X-RateLimit-Remaining-Day');
    expect(specViolations({ ...seen, status: 418 }).join()).toContain('not documented');
    expect(specViolations({ ...seen, path: '/api/v1/nowhere', status: 200 }).join()).toContain('not in the spec');
    const err = { error: 'teapot', message: 'x', request_id: res.body.meta.request_id };
    expect(specViolations({ ...seen, status: 400, path: '/api/v1/usage', body: err }).join()).toContain(
      'allowed values',
    );
  });
});
