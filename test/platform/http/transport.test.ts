// Transport (docs/rest.md#response-headers): with a certificate the server speaks TLS 1.3 only and sends HSTS; the plain-HTTP
// port only redirects. The key pair under test/fixtures/tls is a self-signed localhost fixture, not a secret.

import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import path from 'node:path';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { fixturesDir } from '../../helpers/paths.ts';

const dir = path.join(fixturesDir, 'tls');
const ca = readFileSync(path.join(dir, 'localhost.cert.pem'));

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(p));
    });
  });
}

let app: TestApp;
let redirectPort: number;
beforeAll(async () => {
  redirectPort = await freePort();
  app = await startTestApp({
    env: {
      TLS_CERT_FILE: path.join(dir, 'localhost.cert.pem'),
      TLS_KEY_FILE: path.join(dir, 'localhost.key.pem'),
      HTTP_REDIRECT_PORT: String(redirectPort),
    },
  });
});
afterAll(async () => {
  await app?.close();
});

function get(
  url: string,
  opts: https.RequestOptions = {},
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string; protocol?: string }> {
  return new Promise((resolve, reject) => {
    const mod = url.startsWith('https') ? https : http;
    const req = mod.get(url, { ca, ...opts }, (res) => {
      const protocol = (res.socket as tls.TLSSocket).getProtocol?.() ?? undefined;
      let body = '';
      res.on('data', (c) => {
        body += c;
      });
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body, protocol }));
    });
    req.on('error', reject);
  });
}

describe('transport', () => {
  it('serves HTTPS with TLS 1.3 and HSTS', async () => {
    expect(app.url).toMatch(/^https:/);
    const res = await get(`${app.url}/api/v1/health`);
    expect(res.status).toBe(200);
    expect(res.protocol).toBe('TLSv1.3');
    expect(res.headers['strict-transport-security']).toBe('max-age=63072000; includeSubDomains');
    expect(JSON.parse(res.body).status).toBe('ok');
  });

  it('refuses a TLS 1.2 handshake', async () => {
    const port = new URL(app.url).port;
    const outcome = await new Promise<string>((resolve) => {
      const s = tls.connect({
        host: '127.0.0.1',
        port: Number(port),
        ca,
        servername: 'localhost',
        minVersion: 'TLSv1.2',
        maxVersion: 'TLSv1.2',
      });
      s.on('secureConnect', () => {
        s.destroy();
        resolve('connected');
      });
      s.on('error', (e) => resolve(`refused: ${(e as NodeJS.ErrnoException).code ?? e.message}`));
    });
    expect(outcome).toMatch(/^refused/);
  });

  it('redirects plain HTTP with 301 to the HTTPS port', async () => {
    const res = await get(`http://127.0.0.1:${redirectPort}/api/v1/health?x=1`, { headers: { host: 'localhost' } });
    expect(res.status).toBe(301);
    expect(res.headers.location).toBe(`https://localhost:${new URL(app.url).port}/api/v1/health?x=1`);
  });
});
