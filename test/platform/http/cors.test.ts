// One CORS policy for REST and GraphQL (docs/rest.md#cors): CORS_ORIGINS exact origins (none by default in
// production, any origin without credentials otherwise); never Access-Control-Allow-Credentials; preflights
// answered on REST and GraphQL with one Content-Length, and not counted against rate limits.
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/main/config.ts';
import { startTestApp, type TestApp, testEnv } from '../../helpers/app.ts';
import { seed } from '../../helpers/testkit.ts';

/** The raw response head of a request (to count header lines; fetch would merge or refuse duplicates). */
async function rawHead(url: string, head: string): Promise<string> {
  const { port } = new URL(url);
  return new Promise((resolve, reject) => {
    let got = '';
    const s = net.connect(Number(port), '127.0.0.1', () => s.write(head));
    s.on('data', (b) => {
      got += b.toString('latin1');
      if (got.includes('\r\n\r\n')) {
        s.destroy();
        resolve(got.slice(0, got.indexOf('\r\n\r\n')));
      }
    });
    s.on('error', reject);
    setTimeout(() => reject(new Error('no answer')), 10_000).unref();
  });
}

const preflight = (url: string, path: string, origin: string) =>
  fetch(`${url}${path}`, {
    method: 'OPTIONS',
    headers: {
      origin,
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'authorization, content-type',
    },
  });

describe('CORS without CORS_ORIGINS outside production: any origin, never credentials', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => {
    await app?.close();
  });

  it('answers a preflight on GraphQL and on REST: 204, one Content-Length, no credentials', async () => {
    for (const path of ['/graphql', '/api/v1/products/012345678905', '/api/v1/auth/token']) {
      const r = await preflight(app.url, path, 'https://anywhere.example');
      expect({ path, status: r.status }).toEqual({ path, status: 204 });
      expect(r.headers.get('access-control-allow-origin')).toBe('*');
      expect(r.headers.get('access-control-allow-methods')).toContain('POST');
      expect(r.headers.get('access-control-allow-headers')).toMatch(/Authorization/i);
      expect(r.headers.get('access-control-allow-credentials')).toBeNull();
      const head = await rawHead(
        app.url,
        `OPTIONS ${path} HTTP/1.1\r\nHost: x\r\nOrigin: https://anywhere.example\r\n` +
          'Access-Control-Request-Method: POST\r\nConnection: close\r\n\r\n',
      );
      expect({ path, n: head.match(/^content-length:/gim)?.length }).toEqual({ path, n: 1 });
    }
  });

  it('lets any origin read an answer, without credentials; exposes the request id and credit headers', async () => {
    const c = await seed(app).client({ credits: 10, tier: 'enterprise' });
    for (const r of [
      await fetch(`${app.url}/api/v1/balance`, {
        headers: { origin: 'https://anywhere.example', authorization: `Bearer ${c.accessToken}` },
      }),
      await fetch(`${app.url}/graphql`, {
        method: 'POST',
        headers: {
          origin: 'https://anywhere.example',
          authorization: `Bearer ${c.accessToken}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify({ query: '{ __typename }' }),
      }),
    ]) {
      expect(r.status).toBe(200);
      expect(r.headers.get('access-control-allow-origin')).toBe('*');
      expect(r.headers.get('access-control-allow-credentials')).toBeNull();
      expect(r.headers.get('access-control-expose-headers')).toContain('X-Request-ID');
      expect(r.headers.get('access-control-expose-headers')).toContain('X-Credits-Remaining');
    }
  });

  it('does not count preflights against the rate limit', async () => {
    const remaining = async () => {
      const r = await fetch(`${app.url}/api/v1/products/012345678905`);
      await r.arrayBuffer();
      return Number(r.headers.get('x-ratelimit-remaining-minute'));
    };
    const before = await remaining();
    for (let i = 0; i < 5; i++) {
      await (await preflight(app.url, '/graphql', 'https://anywhere.example')).arrayBuffer();
      await (await preflight(app.url, '/api/v1/products/012345678905', 'https://anywhere.example')).arrayBuffer();
    }
    expect(before - (await remaining())).toBe(1);
  });
});

describe('CORS with CORS_ORIGINS: exact origins only', () => {
  let app: TestApp;
  const shop = 'https://shop.example';
  beforeAll(async () => {
    app = await startTestApp({ env: { CORS_ORIGINS: `${shop}, http://localhost:5173` } });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('names an allowed origin exactly and refuses every other (no Allow-Origin at all)', async () => {
    const ok = await preflight(app.url, '/graphql', shop);
    expect(ok.status).toBe(204);
    expect(ok.headers.get('access-control-allow-origin')).toBe(shop);
    expect(ok.headers.get('vary')).toMatch(/Origin/);
    for (const other of ['https://evil.example', 'https://shop.example.evil.example', 'null']) {
      const r = await preflight(app.url, '/graphql', other);
      expect(r.status).toBe(204);
      expect(r.headers.get('access-control-allow-origin')).toBeNull();
      const g = await fetch(`${app.url}/api/v1/products/012345678905`, { headers: { origin: other } });
      await g.arrayBuffer();
      expect(g.headers.get('access-control-allow-origin')).toBeNull();
      expect(g.headers.get('access-control-allow-credentials')).toBeNull();
    }
  });

  it('production defaults to no origin; CORS_ORIGINS must be exact origins', () => {
    const base = testEnv({ databaseUrl: 'postgres://x@127.0.0.1/x', dataDir: '/tmp' });
    expect(loadConfig({ ...base, NODE_ENV: 'test' }).http.corsOrigins).toBe('any');
    expect(
      loadConfig({ ...base, NODE_ENV: 'production', PUBLIC_BASE_URL: 'https://api.example' }).http.corsOrigins,
    ).toEqual([]);
    expect(() => loadConfig({ ...base, CORS_ORIGINS: 'https://shop.example/path' })).toThrow(/CORS_ORIGINS/);
    expect(() => loadConfig({ ...base, CORS_ORIGINS: '*' })).toThrow(/CORS_ORIGINS/);
  });
});
