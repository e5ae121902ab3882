import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { call } from '../../helpers/http.ts';

describe('health and HTTP conventions', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => {
    await app.close();
  });

  it('answers /api/v1/health with 200 and both checks', async () => {
    const res = await call(app.url, '/api/v1/health');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const body = res.body;
    expect(body.status).toBe('ok');
    expect(body.checks.database).toBe('ok');
    expect(body.checks.redis).toBe(process.env.REDIS_URL ? 'ok' : 'not_configured');
    expect(body.checks.shared_state).toBe(process.env.REDIS_URL ? 'redis' : 'in-process');
    expect(body.checks.redis_mode).toBe(process.env.REDIS_URL ? 'redis' : 'memory');
    expect(res.headers.get('x-request-id')).toMatch(/^req_[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(body.request_id).toBe(res.headers.get('x-request-id'));
    expect(res.headers.get('x-credits-debited')).toBe('0');
  });

  it('answers an unknown route with route_not_found in the contract error body', async () => {
    const res = await call(app.url, '/api/v1/nope');
    expect(res.status).toBe(404);
    const body = res.body;
    expect(body).toEqual({
      error: 'route_not_found',
      message: expect.any(String),
      request_id: res.headers.get('x-request-id'),
    });
  });

  it('answers a wrong method with 405 and Allow', async () => {
    const res = await call(app.url, '/api/v1/health', { method: 'DELETE' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, HEAD');
    expect(res.body.error).toBe('method_not_allowed');
  });

  it('answers HEAD with the headers and no body', async () => {
    const res = await fetch(`${app.url}/api/v1/health`, { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-request-id')).toMatch(/^req_/);
    expect(await res.text()).toBe('');
  });

  it('says the shared state is in-process, not that Redis is ok, when no Redis is configured', async () => {
    const local = await startTestApp({ db: app.db, env: { REDIS_URL: '' } });
    try {
      const res = await call(local.url, '/api/v1/health');
      expect(res.status).toBe(200);
      expect(res.body.checks).toEqual({
        database: 'ok',
        redis: 'not_configured',
        shared_state: 'in-process',
        redis_mode: 'memory',
        blobs: 'ok',
        blob_store: 'fs',
      });
    } finally {
      await local.close();
    }
  });

  it('reports 503 with Retry-After when the database is unreachable', async () => {
    const down = await startTestApp({ db: app.db, env: {} });
    // Terminate the pool's connections and point it nowhere: simplest real outage is ending the pool.
    await down.service.infra.sql.end({ timeout: 1 });
    const res = await call(down.url, '/api/v1/health');
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('5');
    const body = res.body;
    expect(body.checks.database).toBe('down');
    await down.close().catch(() => {});
  });

  it('reports 503 with Retry-After when Redis is unreachable, and the service keeps answering', async () => {
    // Port 1 on loopback: nothing listens there, so every Redis command fails fast.
    const noRedis = await startTestApp({ db: app.db, env: { REDIS_URL: 'redis://127.0.0.1:1' } });
    try {
      const res = await call(noRedis.url, '/api/v1/health');
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('5');
      expect(res.body.checks).toMatchObject({
        database: 'ok',
        redis: 'down',
        shared_state: 'redis',
        redis_mode: 'redis',
      });
      expect(res.body.status).toBe('degraded');
    } finally {
      await noRedis.close().catch(() => {});
    }
  });
});
