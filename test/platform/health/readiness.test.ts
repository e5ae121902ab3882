// /livez and /readyz (docs/operations.md#readiness-and-drain): liveness checks nothing but the process; readiness
// checks the database, the shared state and the blob store, and turns 503 for good once the node drains, when
// every answer also closes its connection.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../helpers/app.ts';

describe('/livez and /readyz', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => {
    await app.close();
  });

  it('a serving node is live and ready; a draining one is live, not ready, and closes connections', async () => {
    const live = await fetch(`${app.url}/livez`);
    expect(live.status).toBe(200);
    expect(live.headers.get('cache-control')).toBe('no-store');
    expect(await live.json()).toEqual({ status: 'ok' });

    const ready = await fetch(`${app.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({
      status: 'ready',
      checks: { database: 'ok', shared_state: 'ok', blobs: 'ok' },
    });
    expect(ready.headers.get('connection')).not.toBe('close');

    app.service.app.readiness.drain();
    const draining = await fetch(`${app.url}/readyz`);
    expect(draining.status).toBe(503);
    expect(draining.headers.get('retry-after')).toBe('5');
    expect(draining.headers.get('connection')).toBe('close');
    expect(await draining.json()).toEqual({ status: 'draining' });
    // Still serving while it drains.
    const stillLive = await fetch(`${app.url}/livez`);
    expect(stillLive.status).toBe(200);
    expect(stillLive.headers.get('connection')).toBe('close');
    const pricing = await fetch(`${app.url}/api/v1/pricing`);
    expect(pricing.status).toBe(200);
    await pricing.arrayBuffer();
  });
});
