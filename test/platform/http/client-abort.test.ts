// Client aborts are client aborts (docs/operations.md#client-aborts): a client that drops its upload mid-body,
// or its GraphQL request, is logged at info ("client closed the request"), never at error as "dependency
// unavailable", and counted as 499, not as a 5xx; the node keeps serving.
import net from 'node:net';
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { call } from '../../helpers/http.ts';
import { seed } from '../../helpers/testkit.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('a client that drops its request mid-body', () => {
  let app: TestApp;
  const lines: { level: number; msg: string; [k: string]: unknown }[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      for (const l of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(l));
      done();
    },
  });

  beforeAll(async () => {
    app = await startTestApp({ log: pino({ level: 'info' }, sink) });
  });
  afterAll(async () => {
    await app?.close();
  });

  /** Sends the head and part of a body that announces more, then resets the connection. */
  async function dropMidBody(head: string, partial: Buffer): Promise<void> {
    const { port } = new URL(app.url);
    await new Promise<void>((resolve, reject) => {
      const s = net.connect(Number(port), '127.0.0.1', () => {
        s.write(head);
        s.write(partial, () => setTimeout(() => s.resetAndDestroy(), 150));
      });
      s.on('error', () => {});
      s.on('close', () => resolve());
      setTimeout(() => reject(new Error('socket did not close')), 10_000).unref();
    });
  }

  /** Polls the log (bounded) until `pick` finds a line. */
  async function logLine(pick: (l: (typeof lines)[number]) => boolean) {
    for (let i = 0; i < 100; i++) {
      const l = lines.find(pick);
      if (l) return l;
      await sleep(50);
    }
    return undefined;
  }

  const scrape = async () => (await call(app.url, '/metrics', { token: app.adminToken })).body as string;

  it('an image upload dropped mid-body: info, 499, no error line, no 5xx', async () => {
    const p = await seed(app).product();
    const body = Buffer.alloc(64 * 1024, 0xff);
    const path = `/admin/v1/products/${p.barcode}/images/front`;
    await dropMidBody(
      `PUT ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${app.adminToken}\r\n` +
        `Content-Type: image/jpeg\r\nContent-Length: ${5 * 1024 * 1024}\r\n\r\n`,
      body,
    );
    const request = await logLine((l) => l.msg === 'request' && l.url === path);
    expect(request?.status).toBe(499);
    expect(await logLine((l) => l.msg === 'client closed the request')).toMatchObject({ level: 30 });
    expect(lines.filter((l) => l.level >= 50)).toEqual([]);
    const text = await scrape();
    expect(text).toMatch(
      /kc_http_requests_total\{method="PUT",route="\/admin\/v1\/products\/:barcode\/images\/:variant",status="499"\} 1/,
    );
    expect(text).not.toMatch(/kc_http_requests_total\{[^}]*status="5\d\d"/);
  });

  it('a GraphQL request dropped mid-body: the same', async () => {
    const c = await seed(app).client({ credits: 10, tier: 'enterprise' });
    await dropMidBody(
      `POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${c.accessToken}\r\n` +
        `Content-Type: application/json\r\nContent-Length: 100000\r\n\r\n`,
      Buffer.from('{"query":"{ balance { credits } }", "pad":"'),
    );
    const request = await logLine((l) => l.msg === 'request' && l.url === '/graphql');
    expect(request?.status).toBe(499);
    expect(lines.filter((l) => l.level >= 50)).toEqual([]);
    expect(await scrape()).not.toMatch(/kc_http_requests_total\{[^}]*status="5\d\d"/);
    // The node keeps serving.
    expect((await call(app.url, '/api/v1/health')).status).toBe(200);
  });
});
