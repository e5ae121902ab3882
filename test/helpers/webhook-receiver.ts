// A webhook receiver for tests: a node:http server on 127.0.0.1 that records every POST (headers, raw body,
// arrival time) and answers with the status the test sets (200 while up; e.g. 503 while "down"). It answers the
// verification handshake (docs/webhooks.md#verification) by echoing the challenge, so a subscription to it is
// verified at creation; verification events are kept apart (`verifications`), never among `received`.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  id: string;
  timestamp: string;
  signature: string;
  headers: Record<string, string>;
  raw: string;
  body: any;
  at: number;
  /** The status this request was answered with. */
  answered: number;
}

export interface Receiver {
  url: string;
  received: Received[];
  /** Verification events received (each answered by echoing its challenge while `echoChallenge` is on). */
  verifications: Received[];
  /** Echo verification challenges (default on); off, a verification is answered like any other request. */
  echoChallenge: boolean;
  /** Requests answered 2xx (what the sender may count as delivered). */
  accepted(): Received[];
  status: number;
  /** Milliseconds to wait before answering (a slow receiver). */
  delayMs: number;
  /** Waits until `pred` holds (checked every 20 ms), at most `ms`. */
  waitFor(pred: (r: Receiver) => boolean, ms?: number): Promise<void>;
  close(): Promise<void>;
}

export async function startReceiver(path = '/hooks'): Promise<Receiver> {
  const received: Received[] = [];
  const verifications: Received[] = [];
  const r: Receiver = {
    url: '',
    received,
    verifications,
    echoChallenge: true,
    accepted: () => received.filter((x) => x.answered >= 200 && x.answered < 300),
    status: 200,
    delayMs: 0,
    async waitFor(pred, ms = 10_000) {
      const until = Date.now() + ms;
      while (!pred(r)) {
        if (Date.now() > until)
          throw new Error(`receiver: condition not met within ${ms} ms (${received.length} received)`);
        await new Promise((res) => setTimeout(res, 20));
      }
    },
    close: () =>
      new Promise((res) => {
        server.closeAllConnections();
        server.close(() => res());
      }),
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
      let body: unknown = null;
      try {
        body = JSON.parse(raw);
      } catch {
        /* recorded raw */
      }
      const challenge = (body as { type?: string; data?: { challenge?: unknown } } | null)?.data?.challenge;
      if ((body as { type?: string } | null)?.type === 'webhook.verification') {
        const echo = r.echoChallenge && typeof challenge === 'string';
        const status = echo ? 200 : r.status;
        verifications.push({
          id: headers['webhook-id'],
          timestamp: headers['webhook-timestamp'],
          signature: headers['webhook-signature'],
          headers,
          raw,
          body,
          at: Date.now(),
          answered: status,
        });
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(echo ? { challenge } : { ok: status < 300 }));
        return;
      }
      const answered = r.status;
      received.push({
        id: headers['webhook-id'],
        timestamp: headers['webhook-timestamp'],
        signature: headers['webhook-signature'],
        headers,
        raw,
        body,
        at: Date.now(),
        answered,
      });
      res.writeHead(answered, { 'content-type': 'text/plain' });
      res.end(answered < 300 ? 'ok' : 'down');
    });
  });
  await new Promise<void>((res) => server.listen(0, '127.0.0.1', () => res()));
  r.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`;
  return r;
}
