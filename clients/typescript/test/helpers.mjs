// Shared by the live tests: the harness's environment (test/clients/live-server.ts writes the contract), clients
// that record what they sent, admin calls, the proxy's controls and the webhook sink. Not a test file itself.
import { KosherCatalog } from '../src/index.js';

/** A variable of the harness; a missing one fails the run (these tests never skip). */
export function env(name) {
  const v = process.env[name];
  if (!v)
    throw new Error(
      `${name} is not set: run through test/clients/typescript-client.test.ts, or start test/clients/serve.ts and export its variables`,
    );
  return v;
}

/**
 * A client of the standard test account that records every request it sends ("POST /api/v1/auth/token 200") and
 * every retry, through a pass-through fetch (the requests still go to the real server).
 * @param {Partial<import('../src/index.js').ClientOptions>} [options]
 */
export function recordingClient(options = {}) {
  /** @type {string[]} */
  const sent = [];
  /** @type {import('../src/index.js').RetryInfo[]} */
  const retries = [];
  const kc = new KosherCatalog({
    baseUrl: env('KC_BASE_URL'),
    clientId: env('KC_CLIENT_ID'),
    apiKey: env('KC_API_KEY'),
    retryBaseMs: 50,
    ...options,
    fetch: async (input, init) => {
      const u = new URL(String(input));
      try {
        const res = await fetch(input, init);
        sent.push(`${init?.method ?? 'GET'} ${u.pathname} ${res.status}`);
        return res;
      } catch (e) {
        sent.push(`${init?.method ?? 'GET'} ${u.pathname} failed`);
        throw e;
      }
    },
    onRetry: (info) => retries.push(info),
  });
  return { kc, sent, retries };
}

/** The account's balance read past the proxy (nothing lossy in between). */
export async function directBalance() {
  const kc = new KosherCatalog({
    baseUrl: env('KC_DIRECT_URL'),
    clientId: env('KC_CLIENT_ID'),
    apiKey: env('KC_API_KEY'),
  });
  return (await kc.balance()).data.credits_remaining;
}

/** A call of the admin API (/admin/v1, bearer admin token); throws unless 2xx. */
export async function admin(method, path, body) {
  const res = await fetch(env('KC_ADMIN_URL') + path, {
    method,
    headers: {
      authorization: `Bearer ${env('KC_ADMIN_TOKEN')}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`admin ${method} ${path}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

/** Arms the lossy proxy: the next request under `prefix` reaches the app, and its answer is thrown away. */
export async function dropNextAnswer(prefix) {
  const res = await fetch(`${env('KC_PROXY_CONTROL')}/__proxy/drop-next?path=${encodeURIComponent(prefix)}`, {
    method: 'POST',
  });
  if (!res.ok) throw new Error(`proxy arm: ${res.status}`);
}

/** Arms the lossy proxy: the next request under `prefix` reaches the app, and its answer becomes `status`. */
export async function failNextAnswer(prefix, status) {
  const q = `path=${encodeURIComponent(prefix)}&status=${status}`;
  const res = await fetch(`${env('KC_PROXY_CONTROL')}/__proxy/fail-next?${q}`, { method: 'POST' });
  if (!res.ok) throw new Error(`proxy arm: ${res.status}`);
}

/** @returns {Promise<{forwarded: number, dropped: number, failed: number, armed: string[]}>} */
export async function proxyStats() {
  const res = await fetch(`${env('KC_PROXY_CONTROL')}/__proxy/stats`);
  return /** @type {any} */ (await res.json());
}

/** Deliveries the sink recorded under a path prefix. */
export async function received(pathPrefix) {
  const res = await fetch(`${env('KC_WEBHOOK_SINK')}/__received?path=${encodeURIComponent(pathPrefix)}`);
  return /** @type {Promise<{method: string, path: string, headers: Record<string, string>, body: string, at: number}[]>} */ (
    res.json()
  );
}

/** Polls `probe` every 50 ms until it returns a truthy value; fails after `ms`. */
export async function waitFor(probe, ms, what) {
  const until = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > until) throw new Error(`not within ${ms} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** A barcode with a valid GS1 check digit from its first digits (any length 7–13). */
export function withCheckDigit(body) {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    const digit = Number(body[body.length - 1 - i]);
    sum += digit * (i % 2 === 0 ? 3 : 1);
  }
  return body + String((10 - (sum % 10)) % 10);
}
