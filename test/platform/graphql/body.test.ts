// /graphql reads a POST body once (src/platform/graphql/buffered-body.ts): the answers for bad bodies stay yoga's, and
// the 1 MiB limit holds without Content-Length too.

import http from 'node:http';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { type SignedInClient, seed } from '../../helpers/testkit.ts';

let app: TestApp;
let client: SignedInClient;
beforeAll(async () => {
  app = await startTestApp();
  client = await seed(app).client();
});
afterAll(async () => {
  await app?.close();
});

async function post(body: BodyInit, type: string, extra: RequestInit = {}) {
  const res = await fetch(`${app.url}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': type,
      accept: 'application/graphql-response+json',
      authorization: `Bearer ${client.accessToken}`,
    },
    body,
    ...extra,
  });
  const text = await res.text();
  return { status: res.status, body: JSON.parse(text) };
}

describe('POST /graphql bodies', () => {
  it('runs a JSON body, also as application/graphql+json and with a charset parameter', async () => {
    const q = JSON.stringify({ query: '{ __typename }' });
    for (const type of ['application/json', 'application/graphql+json', 'application/json; charset=utf-8'])
      expect(await post(q, type)).toMatchObject({ status: 200, body: { data: { __typename: 'Query' } } });
  });

  it('answers invalid JSON, null and a non-object body with 400 BAD_REQUEST', async () => {
    const bad = await post('{"query": ', 'application/json');
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0]).toMatchObject({
      message: 'POST body sent invalid JSON.',
      extensions: { code: 'BAD_REQUEST' },
    });
    for (const [text, what] of [
      ['null', 'null'],
      ['42', 'number'],
    ]) {
      const r = await post(text, 'application/json');
      expect(r.status).toBe(400);
      expect(r.body.errors[0]).toMatchObject({
        message: `POST body is expected to be object but received ${what}`,
        extensions: { code: 'BAD_REQUEST' },
      });
    }
  });

  it('refuses a chunked body past 1 MiB (no Content-Length) with 413', async () => {
    const chunk = new TextEncoder().encode(' '.repeat(64 * 1024));
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(c) {
        if (sent++ < 20)
          c.enqueue(chunk); // 1.25 MiB in all
        else c.close();
      },
    });
    const r = await post(stream as unknown as BodyInit, 'application/json', { duplex: 'half' } as RequestInit);
    expect(r.status).toBe(413);
    expect(r.body.error).toBe('payload_too_large');
  });

  it('keeps answering on the same keep-alive connection after oversized bodies (streamed or declared)', async () => {
    // One socket: every request below travels on it, so a 413 that left body bytes unread would stall the next.
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const sockets = new Set<unknown>();
    const send = (type: string, body: Buffer, chunked: boolean, token?: string) =>
      new Promise<{ status: number; text: string }>((resolve, reject) => {
        const u = new URL(`${app.url}/graphql`);
        const req = http.request(
          {
            host: u.hostname,
            port: u.port,
            path: u.pathname,
            method: 'POST',
            agent,
            timeout: 10_000,
            headers: {
              'content-type': type,
              ...(chunked ? {} : { 'content-length': String(body.length) }),
              ...(token ? { authorization: `Bearer ${token}` } : {}),
            },
          },
          (res) => {
            let text = '';
            res.setEncoding('utf8');
            res.on('data', (c: string) => {
              text += c;
            });
            res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
          },
        );
        req.on('socket', (s) => sockets.add(s));
        req.on('timeout', () => req.destroy(new Error('no answer on the kept-alive connection')));
        req.on('error', reject);
        if (chunked) {
          for (let o = 0; o < body.length; o += 64 * 1024) req.write(body.subarray(o, o + 64 * 1024));
          req.end();
        } else req.end(body);
      });
    try {
      const big = Buffer.alloc(1_300_000, 0x61);
      for (const type of ['application/x-www-form-urlencoded', 'application/json', 'application/graphql'])
        for (const chunked of [true, false]) expect((await send(type, big, chunked)).status).toBe(413);
      const ok = await send(
        'application/json',
        Buffer.from(JSON.stringify({ query: '{ __typename }' })),
        false,
        client.accessToken,
      );
      expect(ok.status).toBe(200);
      expect(JSON.parse(ok.text)).toMatchObject({ data: { __typename: 'Query' } });
      expect(sockets.size).toBe(1);
    } finally {
      agent.destroy();
    }
  });

  it('reads at most 8 MiB more of a refused body, then closes the connection (a 64 MiB upload is not read)', async () => {
    const u = new URL(app.url);
    const socket = net.connect(Number(u.port), u.hostname);
    await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    let answer = '';
    socket.on('data', (b: Buffer) => {
      answer += b.toString('latin1');
    });
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    socket.on('error', () => undefined); // the reset when the server closes mid-upload
    const declared = 64 * 1024 * 1024;
    socket.write(
      `POST /graphql HTTP/1.1\r\nHost: ${u.host}\r\nContent-Type: application/json\r\nContent-Length: ${declared}\r\n\r\n`,
    );
    const chunk = Buffer.alloc(1024 * 1024, 0x20);
    let sent = 0;
    let open = true;
    void closed.then(() => {
      open = false;
    });
    // Bounded: at most the declared 64 chunks.
    while (open && sent < declared) {
      const ok = socket.write(chunk);
      sent += chunk.length;
      if (!ok) await Promise.race([new Promise((r) => socket.once('drain', r)), closed]);
    }
    await Promise.race([closed, new Promise((r) => setTimeout(r, 10_000))]);
    expect(open).toBe(false);
    expect(sent).toBeLessThan(declared);
    expect(answer).toMatch(/^HTTP\/1\.1 413 /);
  });

  it('answers with a Content-Length of the UTF-8 bytes it sends (non-ASCII text in the answer)', async () => {
    const value = 'é☃𝄞';
    const body = JSON.stringify({
      query: 'query($b: Barcode!){ product(barcode: $b){ barcode } }',
      variables: { b: value },
    });
    const res = await fetch(`${app.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${client.accessToken}` },
      body,
    });
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(Number(res.headers.get('content-length'))).toBe(bytes.length);
    const text = bytes.toString('utf8');
    expect(text).toContain(value);
    expect(JSON.parse(text).errors.length).toBeGreaterThan(0);
  });
});
