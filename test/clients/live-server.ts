// The live harness the reference clients (clients/typescript, clients/python, clients/php) are tested against:
// the real app, a lossy proxy in front of it and a webhook sink, with a small seeded catalog. Nothing here mocks
// the API; the proxy and the sink only stand in for the network and for a client's own web server.
//
// ─── Contract (the other language suites rely on it; change it only together with them) ───────────────────
//
// startLiveServer(): Promise<LiveServer>
//   Starts, on 127.0.0.1 and free ports:
//   - the app (startTestApp, own database) with ACCESS_TOKEN_TTL_SEC=4 (access tokens expire after 4 s, so a
//     refresh is exercised within a test), RATE_LIMIT_MINUTE_WINDOW_SEC=2 (a 429 clears within 2 s),
//     WEBHOOKS_ALLOW_LOCAL=1 (http and loopback targets allowed), WEBHOOKS_POLL_MS=100 and fast retries;
//   - a catalog of SEEDED_BARCODES (admin API), among them 017000161563 with a `front` and a `back` image;
//   - the lossy proxy (below) in front of the app;
//   - the webhook sink (below).
//   close() stops all of them and drops the database.
//
// provisionLanguage(server, lang): Promise<Record<string, string>>
//   Creates through the admin API, per call (so every language suite has its own balance and buckets):
//   an account with 1000 credits, a live standard-tier client, a second live client limited to 2 requests
//   per (2-second) minute window, and a test-mode client (contract §12: kc_test_ key, sandbox catalog, bills
//   reported but no credit moved). Returns these environment variables:
//     KC_BASE_URL              the proxy URL (what a client under test talks to)
//     KC_DIRECT_URL            the app URL, bypassing the proxy (for checks that must not be disturbed)
//     KC_PROXY_CONTROL         the proxy base URL for its control routes (same origin as KC_BASE_URL)
//     KC_CLIENT_ID, KC_API_KEY                   the standard client (kc_live_… key)
//     KC_LIMITED_CLIENT_ID, KC_LIMITED_API_KEY   the client limited to 2 requests per window (429 tests)
//     KC_TEST_CLIENT_ID, KC_TEST_API_KEY         the test-mode client of the same account (kc_test_… key); the
//                              sandbox catalog has KC_BARCODE too (docs/test-mode.md)
//     KC_BARCODE               017000161563 (has front and back images)
//     KC_BARCODES              comma list of every seeded barcode (all exist; KC_BARCODE first)
//     KC_ADMIN_URL             the app URL for /admin/v1 (same as KC_DIRECT_URL)
//     KC_ADMIN_TOKEN           bearer token of the admin API
//     KC_WEBHOOK_SINK          the sink base URL; subscribe to `${KC_WEBHOOK_SINK}/<anything>`
//     KC_ACCESS_TOKEN_TTL_SEC  4
//
// Lossy proxy (KC_PROXY_CONTROL):
//   Every request is passed through to the app unchanged (the Host header too, so Link headers name the proxy).
//   POST /__proxy/drop-next?path=<prefix>  arms one drop: the next request whose path starts with <prefix> is
//        forwarded, the app's whole answer is awaited (so its debit has committed), and then the client's socket
//        is destroyed without a byte of the answer: "the answer was lost on the way back". Arming several
//        times queues several drops. Answers 200 {"armed": [<prefixes waiting>]}.
//   POST /__proxy/fail-next?path=<prefix>[&status=<500..599>]  arms one gateway error: the next matching request
//        is forwarded and its whole answer awaited (the debit committed), then the client gets `status` (default
//        502) with {"error": "bad_gateway", "message": "…", "request_id": null} instead: "a load balancer lost the
//        answer". Queued with the drops, in arming order. Answers 200 {"armed": [...]}.
//   GET  /__proxy/stats  → {"forwarded": n, "dropped": n, "failed": n, "armed": [...]}: requests passed to the
//        app (dropped and failed ones included), answers dropped, answers replaced by a gateway error.
//
// Webhook sink (KC_WEBHOOK_SINK):
//   POST <any path>  recorded as {method, path, headers, body, at} (body = the raw text, headers lower-case)
//        and answered 200. If the body is JSON with a `challenge` field, the answer is {"challenge": <value>}
//        (the verification handshake of issue 24), otherwise {"ok": true}.
//   GET  /__received[?path=<prefix>]  → JSON array of the records (oldest first), optionally only those whose
//        path starts with <prefix>. Use a unique path per subscription to tell your deliveries apart.
//   DELETE /__received  forgets every record.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { picture } from '../helpers/image-fixtures.ts';

const ACCESS_TOKEN_TTL_SEC = 4;
const MAIN_BARCODE = '017000161563';
/** Every seeded barcode (valid GS1 check digits), MAIN_BARCODE first; all exist in the catalog. */
const SEEDED_BARCODES = [MAIN_BARCODE, '7290000066318', '7290000068701', '0072250037129', '96385074', '4006381333931'];

interface LossyProxy {
  url: string;
  stats: { forwarded: number; dropped: number; failed: number };
  close(): Promise<void>;
}

interface SinkRecord {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
  at: number;
}

interface WebhookSink {
  url: string;
  records: SinkRecord[];
  close(): Promise<void>;
}

export interface LiveServer {
  app: TestApp;
  /** The app's own URL (no proxy). */
  directUrl: string;
  proxy: LossyProxy;
  sink: WebhookSink;
  adminToken: string;
  barcodes: string[];
  close(): Promise<void>;
}

const json = (res: http.ServerResponse, status: number, body: unknown) => {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
};

const listen = (server: http.Server) =>
  new Promise<string>((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)),
  );

const closeServer = (server: http.Server) =>
  new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });

/** The lossy proxy described in the contract above. */
async function startLossyProxy(target: string): Promise<LossyProxy> {
  const upstream = new URL(target);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  // Faults waiting for their request, in arming order: 'drop' or the status of a gateway error.
  const faults: { prefix: string; fault: 'drop' | number }[] = [];
  const armed = () => faults.map((f) => f.prefix);
  const stats = { forwarded: 0, dropped: 0, failed: 0 };

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://proxy');
    if ((url.pathname === '/__proxy/drop-next' || url.pathname === '/__proxy/fail-next') && req.method === 'POST') {
      req.resume();
      const prefix = url.searchParams.get('path');
      if (!prefix) return json(res, 400, { error: 'bad_request', message: 'path=<prefix> is required' });
      let fault: 'drop' | number = 'drop';
      if (url.pathname === '/__proxy/fail-next') {
        fault = Number(url.searchParams.get('status') ?? '502');
        if (!Number.isInteger(fault) || fault < 500 || fault > 599)
          return json(res, 400, { error: 'bad_request', message: 'status: 500 to 599' });
      }
      faults.push({ prefix, fault });
      return json(res, 200, { armed: armed() });
    }
    if (url.pathname === '/__proxy/stats' && req.method === 'GET') {
      req.resume();
      return json(res, 200, { ...stats, armed: armed() });
    }
    const i = faults.findIndex((f) => url.pathname.startsWith(f.prefix));
    const fault = i >= 0 ? faults.splice(i, 1)[0].fault : null;
    stats.forwarded++;
    const up = http.request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
        agent,
      },
      (upRes) => {
        if (fault === null) {
          res.writeHead(upRes.statusCode ?? 502, upRes.rawHeaders);
          upRes.pipe(res);
          return;
        }
        // Read the app's whole answer first: by then its response is written, so the debit has committed.
        upRes.resume();
        upRes.on('end', () => {
          if (fault === 'drop') {
            stats.dropped++;
            req.socket.destroy();
            return;
          }
          stats.failed++;
          json(res, fault, {
            error: 'bad_gateway',
            message: 'The lossy proxy replaced the answer with a gateway error.',
            request_id: null,
          });
        });
      },
    );
    up.on('error', () => {
      if (!res.headersSent) json(res, 502, { error: 'proxy_error', message: 'the app did not answer' });
      else res.destroy();
    });
    req.pipe(up);
  });
  const url = await listen(server);
  return {
    url,
    stats,
    async close() {
      agent.destroy();
      await closeServer(server);
    },
  };
}

/** The webhook sink described in the contract above. */
async function startWebhookSink(): Promise<WebhookSink> {
  const records: SinkRecord[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://sink');
      if (url.pathname === '/__received') {
        if (req.method === 'GET') {
          const prefix = url.searchParams.get('path');
          return json(res, 200, prefix ? records.filter((r) => r.path.startsWith(prefix)) : records);
        }
        if (req.method === 'DELETE') {
          records.length = 0;
          return json(res, 200, { cleared: true });
        }
      }
      if (req.method !== 'POST') return json(res, 405, { error: 'method_not_allowed', message: 'POST only' });
      const body = Buffer.concat(chunks).toString('utf8');
      const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
      records.push({ method: req.method, path: url.pathname + url.search, headers, body, at: Date.now() });
      let challenge: unknown;
      try {
        const parsed = JSON.parse(body);
        challenge = parsed?.challenge ?? parsed?.data?.challenge;
      } catch {
        /* not JSON: recorded as text */
      }
      json(res, 200, challenge !== undefined ? { challenge } : { ok: true });
    });
  });
  const url = await listen(server);
  return { url, records, close: () => closeServer(server) };
}

async function admin(app: TestApp, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const isBytes = body instanceof Buffer;
  const res = await fetch(app.url + path, {
    method,
    headers: {
      authorization: `Bearer ${app.adminToken}`,
      ...(body !== undefined && !isBytes ? { 'content-type': 'application/json' } : {}),
      ...headers,
    },
    body: body === undefined ? undefined : isBytes ? new Uint8Array(body) : JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`admin ${method} ${path}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

const seedProducts: Record<string, Record<string, unknown>> = {
  [MAIN_BARCODE]: {
    brand: 'Cheerios',
    product_name: 'Cheerios Original',
    ownership: 'Harness Studio',
    category: 'Cereal',
    bracha: 'mezonos',
    hechshers: [
      {
        symbol: 'OU',
        org: 'Orthodox Union',
        dairy_meat_pareve: 'pareve',
        dairy_equipment: false,
        passover: false,
        qualifiers: [],
      },
    ],
  },
  '7290000066318': { brand: 'Osem אסם', product_name: 'Bamba במבה', ownership: 'Harness Studio' },
  '7290000068701': { brand: 'Osem אסם', product_name: 'Bissli ביסלי', ownership: 'Harness Studio' },
  '0072250037129': { brand: 'Manischewitz', product_name: 'Matzo', ownership: 'Harness Studio' },
  '96385074': { brand: 'Harness', product_name: 'Eight Digit Snack', ownership: 'Harness Studio' },
  '4006381333931': { brand: 'Harness', product_name: 'Pencil Cookies', ownership: 'Harness Studio' },
};

export async function startLiveServer(): Promise<LiveServer> {
  const app = await startTestApp({
    env: {
      ACCESS_TOKEN_TTL_SEC: String(ACCESS_TOKEN_TTL_SEC),
      RATE_LIMIT_MINUTE_WINDOW_SEC: '2',
      WEBHOOKS_ALLOW_LOCAL: '1',
      WEBHOOKS_POLL_MS: '100',
      WEBHOOKS_RETRY_BASE_MS: '100',
      WEBHOOKS_RETRY_MAX_MS: '500',
    },
  });
  try {
    const front = await picture(320, 320, 'jpeg');
    const back = await picture(300, 320, 'jpeg');
    for (const [barcode, meta] of Object.entries(seedProducts))
      await admin(app, 'PUT', `/admin/v1/products/${barcode}`, meta);
    for (const [variant, bytes] of [
      ['front', front],
      ['back', back],
    ] as const)
      await admin(app, 'PUT', `/admin/v1/products/${MAIN_BARCODE}/images/${variant}`, bytes, {
        'content-type': 'image/jpeg',
      });
    // A second product with a front image, so listings and bulk checks see more than one imaged product.
    await admin(app, 'PUT', `/admin/v1/products/${SEEDED_BARCODES[1]}/images/front`, front, {
      'content-type': 'image/jpeg',
    });
    const proxy = await startLossyProxy(app.url);
    const sink = await startWebhookSink();
    return {
      app,
      directUrl: app.url,
      proxy,
      sink,
      adminToken: app.adminToken,
      barcodes: [...SEEDED_BARCODES],
      async close() {
        await proxy.close();
        await sink.close();
        await app.close();
      },
    };
  } catch (e) {
    await app.close();
    throw e;
  }
}

export async function provisionLanguage(server: LiveServer, lang: string): Promise<Record<string, string>> {
  const { app } = server;
  const acct = await admin(app, 'POST', '/admin/v1/accounts', { name: `${lang} client suite`, credits: 1000 });
  const client = await admin(app, 'POST', `/admin/v1/accounts/${acct.account_id}/clients`, {
    name: `${lang} client`,
    tier: 'standard',
  });
  const limited = await admin(app, 'POST', `/admin/v1/accounts/${acct.account_id}/clients`, {
    name: `${lang} limited client`,
    tier: 'standard',
    limits: { per_minute: 2 },
  });
  const test = await admin(app, 'POST', `/admin/v1/accounts/${acct.account_id}/clients`, {
    name: `${lang} test client`,
    tier: 'standard',
    mode: 'test',
  });
  return {
    KC_BASE_URL: server.proxy.url,
    KC_DIRECT_URL: server.directUrl,
    KC_PROXY_CONTROL: server.proxy.url,
    KC_CLIENT_ID: client.client_id,
    KC_API_KEY: client.api_key,
    KC_LIMITED_CLIENT_ID: limited.client_id,
    KC_LIMITED_API_KEY: limited.api_key,
    KC_TEST_CLIENT_ID: test.client_id,
    KC_TEST_API_KEY: test.api_key,
    KC_BARCODE: MAIN_BARCODE,
    KC_BARCODES: server.barcodes.join(','),
    KC_ADMIN_URL: server.directUrl,
    KC_ADMIN_TOKEN: server.adminToken,
    KC_WEBHOOK_SINK: server.sink.url,
    KC_ACCESS_TOKEN_TTL_SEC: String(ACCESS_TOKEN_TTL_SEC),
  };
}
