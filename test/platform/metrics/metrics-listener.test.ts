// Metrics only where operators look (docs/operations.md#metrics): with ADMIN_PORT set, /metrics is served on the
// admin listener only (the public one answers 404 as for any unknown path); a read-only METRICS_TOKEN scrapes it
// without the admin token and opens nothing else; the standard process_* and nodejs_* metrics sit beside ours.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../helpers/app.ts';

describe('/metrics with ADMIN_PORT and METRICS_TOKEN', () => {
  let app: TestApp;
  const metricsToken = `mt_${randomBytes(24).toString('base64url')}`;
  beforeAll(async () => {
    app = await startTestApp({ env: { ADMIN_HOST: '127.0.0.1', ADMIN_PORT: '0', METRICS_TOKEN: metricsToken } });
  });
  afterAll(async () => {
    await app?.close();
  });

  const get = (base: string, path: string, token?: string) =>
    fetch(`${base}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

  it('is not on the public listener, with any token or none', async () => {
    for (const token of [undefined, app.adminToken, metricsToken]) {
      const r = await get(app.url, '/metrics', token);
      expect(r.status).toBe(404);
      expect((await r.json()).error).toBe('route_not_found');
    }
  });

  it('is on the admin listener for the admin token and for METRICS_TOKEN, which opens nothing else', async () => {
    const admin = app.service.adminUrl;
    expect(admin).not.toBe(app.url);
    expect((await get(admin, '/metrics')).status).toBe(401);
    expect((await get(admin, '/metrics', 'not-the-token-at-all-xxxxxxxxxxxxx')).status).toBe(401);
    expect((await get(admin, '/metrics', app.adminToken)).status).toBe(200);
    const r = await get(admin, '/metrics', metricsToken);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await r.text();
    for (const name of [
      'process_cpu_user_seconds_total',
      'process_resident_memory_bytes',
      'nodejs_eventloop_lag_p99_seconds',
      'nodejs_heap_size_used_bytes',
      'kc_http_requests_total',
    ])
      expect(text, name).toMatch(new RegExp(`^${name}(\\{| )`, 'm'));
    expect(text).not.toMatch(/^kc_process_|^kc_nodejs_/m);
    // Read-only: the admin API refuses it.
    expect((await get(admin, '/admin/v1/metrics', metricsToken)).status).toBe(401);
    expect((await get(admin, '/admin/v1/accounts/acct_nope', metricsToken)).status).toBe(401);
  });
});
