// @kosher-catalog/client: the TypeScript/JavaScript reference client of the kosher-catalog API (CONTRACT §13).
// Plain ESM JavaScript, so it runs on Node 20 as installed (no build step, no TypeScript loader); the types are in
// index.d.ts, built on the OpenAPI types generated from schema/openapi.yaml (openapi.d.ts).
//
// What it does for every call: gets an access token (exchange, then refresh before expiry; one retry after a 401
// with a fresh token), sends an Idempotency-Key on every billed call and retries it under the SAME key after a
// timeout, a network error, a 5xx or a 409 with Retry-After (the server replays the committed answer, so a retry
// is never charged twice), waits out a 429 by Retry-After (else the RateLimit header), and surfaces the bill.
import { WebhookVerificationError as StandardWebhookError, Webhook } from 'standardwebhooks';

export const VERSION = '0.2.0';

const TEST_KEY_PREFIX = 'kc_test_';
const LIVE_KEY_PREFIX = 'kc_live_';
/** The API takes at most this many barcodes per bulk-check request. */
export const BULK_CHECK_CHUNK = 500;
/** Statuses worth another attempt when the request is safe to repeat (idempotent, or billed under one key). */
const RETRYABLE_STATUS = new Set([500, 502, 503, 504]);
/** Codes of the `error` field for HEAD answers and bodiless errors, by status (a HEAD answer has no body). */
const CODE_BY_STATUS = {
  400: 'bad_request',
  401: 'unauthenticated',
  402: 'insufficient_credits',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  409: 'conflict',
  410: 'gone',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'rate_limited',
  500: 'internal_error',
  502: 'bad_gateway',
  503: 'service_unavailable',
  504: 'gateway_timeout',
};
/** Connection failures where the request never reached a server (safe to repeat even for a one-shot URL). */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT']);

/** An API error: `code` is the stable `error` field of the body (switch on it), `message` human text. */
export class KosherCatalogError extends Error {
  /**
   * @param {string} code
   * @param {string} message
   * @param {{status?: number, requestId?: string | null, retryAfterSec?: number | null, body?: unknown, cause?: unknown}} [extra]
   */
  constructor(code, message, extra = {}) {
    super(message, extra.cause === undefined ? undefined : { cause: extra.cause });
    this.name = 'KosherCatalogError';
    this.code = code;
    this.status = extra.status ?? 0;
    this.requestId = extra.requestId ?? null;
    this.retryAfterSec = extra.retryAfterSec ?? null;
    this.body = extra.body;
    /** @type {Headers | undefined} The answer's headers (HTTP errors only). */
    this.headers = undefined;
    /** @type {ReturnType<typeof billOf> | undefined} The answer's bill (HTTP errors only; errors are never billed). */
    this.bill = undefined;
  }
}

/** A webhook delivery whose signature, timestamp or body did not verify. Answer it with 400 and drop it. */
export class WebhookVerificationError extends Error {
  /** @param {string} message @param {unknown} [cause] */
  constructor(message, cause) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'WebhookVerificationError';
    this.code = 'webhook_invalid';
  }
}

/** 'test' for a kc_test_ key (sandbox catalog, no credits move), 'live' for kc_live_, else 'unknown'. */
export function keyMode(apiKey) {
  if (typeof apiKey !== 'string') return 'unknown';
  if (apiKey.startsWith(TEST_KEY_PREFIX)) return 'test';
  if (apiKey.startsWith(LIVE_KEY_PREFIX)) return 'live';
  return 'unknown';
}

/** A random Idempotency-Key: "kc_" + 32 base64url characters (192 bits), within the API's 20–255. */
export function newIdempotencyKey() {
  const bytes = new Uint8Array(24);
  globalThis.crypto.getRandomValues(bytes);
  return `kc_${Buffer.from(bytes).toString('base64url')}`;
}

/**
 * Verifies a webhook delivery (Standard Webhooks: webhook-id, webhook-timestamp within 5 minutes, and
 * webhook-signature over "id.timestamp.body" under the whsec_ secret) and returns the parsed event.
 * `rawBody` must be the bytes as received: a re-serialised JSON object does not verify.
 * @param {string} secret
 * @param {Headers | Record<string, string | string[] | undefined>} headers
 * @param {string | Uint8Array} rawBody
 */
export function verifyWebhook(secret, headers, rawBody) {
  const get = (name) => {
    if (typeof Headers !== 'undefined' && headers instanceof Headers) return headers.get(name) ?? undefined;
    for (const [k, v] of Object.entries(headers ?? {})) {
      if (k.toLowerCase() === name) return Array.isArray(v) ? v[0] : v;
    }
    return undefined;
  };
  const wanted = {
    'webhook-id': get('webhook-id'),
    'webhook-timestamp': get('webhook-timestamp'),
    'webhook-signature': get('webhook-signature'),
  };
  for (const [k, v] of Object.entries(wanted)) {
    if (typeof v !== 'string' || v === '') throw new WebhookVerificationError(`missing ${k} header`);
  }
  const body = typeof rawBody === 'string' ? rawBody : Buffer.from(rawBody).toString('utf8');
  try {
    return new Webhook(secret).verify(body, wanted);
  } catch (e) {
    if (e instanceof StandardWebhookError) throw new WebhookVerificationError(e.message, e);
    throw new WebhookVerificationError(`not a valid webhook: ${e instanceof Error ? e.message : String(e)}`, e);
  }
}

const sleep = (ms, signal) =>
  new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve(undefined);
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(signal.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });

/** Credits are exact to 0.0001: add them as integers of 1/10,000 so sums carry no binary noise. */
const addCredits = (a, b) => (Math.round(a * 10_000) + Math.round(b * 10_000)) / 10_000;

const num = (v) => {
  if (v === null || v === undefined || v === '') return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
};

/**
 * Seconds to wait after a 429 (or a 409/503 that says so): Retry-After (seconds or an HTTP date), else the IETF
 * RateLimit field's `t` of the exhausted bucket (`"minute";r=0;t=1, "day";r=9997;t=30125`).
 */
export function retryAfterSeconds(headers) {
  const ra = headers.get('retry-after');
  if (ra !== null) {
    const n = Number(ra);
    if (Number.isFinite(n) && n >= 0) return n;
    const at = Date.parse(ra);
    if (Number.isFinite(at)) return Math.max(0, (at - Date.now()) / 1000);
  }
  const rl = headers.get('ratelimit');
  if (rl) {
    let wait = null;
    for (const item of rl.split(',')) {
      const r = /;\s*r=(\d+)/.exec(item);
      const t = /;\s*t=(\d+)/.exec(item);
      if (r && t && Number(r[1]) === 0) wait = Math.max(wait ?? 0, Number(t[1]));
    }
    if (wait !== null) return wait;
  }
  return null;
}

function billOf(body, headers) {
  const meta = body && typeof body === 'object' ? body.meta : undefined;
  const billing = body && typeof body === 'object' ? body.extensions?.billing : undefined;
  const debited = meta?.credits_debited ?? billing?.creditsDebited ?? num(headers.get('x-credits-debited')) ?? 0;
  const remaining =
    meta?.credits_remaining ?? billing?.creditsRemaining ?? num(headers.get('x-credits-remaining')) ?? null;
  return {
    creditsDebited: debited,
    creditsRemaining: remaining,
    requestId: meta?.request_id ?? billing?.requestId ?? headers.get('x-request-id'),
    testMode: meta?.test_mode === true || billing?.testMode === true || headers.get('x-test-mode') === '1',
    replayed: headers.get('idempotency-replayed') === '1',
  };
}

function rateLimitOf(headers) {
  const limit = num(headers.get('x-ratelimit-limit-minute'));
  if (limit === null) return null;
  return {
    minute: { limit, remaining: num(headers.get('x-ratelimit-remaining-minute')) },
    day: { limit: num(headers.get('x-ratelimit-limit-day')), remaining: num(headers.get('x-ratelimit-remaining-day')) },
    reset: num(headers.get('x-ratelimit-reset')),
  };
}

function appendQuery(url, query) {
  for (const [k, v] of Object.entries(query ?? {})) {
    if (v === undefined || v === null) continue;
    // Lists go comma-separated, one of the three forms the API reads (docs/rest.md).
    url.searchParams.set(k, Array.isArray(v) ? v.join(',') : String(v));
  }
}

export class KosherCatalog {
  #baseUrl;
  #clientId;
  #apiKey;
  #fetch;
  #timeoutMs;
  #maxRetries;
  #retryBaseMs;
  #maxRetryAfterSec;
  #onRetry;
  #userAgent;
  /** @type {{access: string, renewAtMs: number, refresh: string | null} | null} */
  #session = null;
  /** The one token request in flight: refresh tokens are single use, so two refreshes must never race. */
  /** @type {Promise<string> | null} */
  #tokenFlight = null;
  /** The answer that gave the kept pair (exchange or refresh). */
  /** @type {import('./index.js').ApiResult<import('./index.js').TokenPair> | null} */
  #lastPair = null;

  /** @param {import('./index.js').ClientOptions} options */
  constructor(options) {
    const o = options ?? {};
    if (!o.baseUrl) throw new TypeError('baseUrl is required');
    if (!o.clientId || !o.apiKey) throw new TypeError('clientId and apiKey are required');
    this.#baseUrl = String(o.baseUrl).replace(/\/+$/, '');
    this.#clientId = o.clientId;
    this.#apiKey = o.apiKey;
    this.#fetch = o.fetch ?? globalThis.fetch.bind(globalThis);
    this.#timeoutMs = o.timeoutMs ?? 30_000;
    this.#maxRetries = o.maxRetries ?? 4;
    this.#retryBaseMs = o.retryBaseMs ?? 250;
    this.#maxRetryAfterSec = o.maxRetryAfterSec ?? 120;
    this.#onRetry = o.onRetry;
    this.#userAgent = o.userAgent ?? `kosher-catalog-client-js/${VERSION}`;
  }

  /** 'test' (kc_test_ key: sandbox catalog, bills reported but no credits move) or 'live' (or 'unknown'). */
  get mode() {
    return keyMode(this.#apiKey);
  }

  get baseUrl() {
    return this.#baseUrl;
  }

  // ── tokens ────────────────────────────────────────────────────────────────────────────────────────────────

  /** POST /api/v1/auth/token: exchanges client_id + api_key for a new token pair and keeps it. */
  async exchangeToken() {
    const res = await this.#send('POST', '/api/v1/auth/token', {
      auth: false,
      body: { client_id: this.#clientId, api_key: this.#apiKey },
      // A lost exchange answer costs nothing: repeating it just issues another pair.
      safe: true,
    });
    this.#keep(res.data);
    this.#lastPair = res;
    return res;
  }

  /**
   * POST /api/v1/auth/refresh: a new pair now, for the kept refresh token (calls renew on their own before expiry).
   * Without a kept pair, or when the refresh token is refused, the key is exchanged instead.
   */
  async refreshTokens() {
    if (this.#session) this.#session = { ...this.#session, renewAtMs: 0 };
    await this.#accessToken();
    return this.#lastPair;
  }

  /**
   * POST /api/v1/auth/revoke for the kept refresh token, then the kept access token (a log-out), and forgets both;
   * the next call exchanges the key again. Resolves to the refresh token's answer (`revoked`, `token_type`), or
   * null when no token was kept.
   */
  async revokeTokens() {
    const s = this.#session;
    this.#session = null;
    if (!s) return null;
    const revoke = (token, hint) =>
      this.#send('POST', '/api/v1/auth/revoke', {
        auth: false,
        body: { token, token_type_hint: hint },
        idempotencyKey: newIdempotencyKey(),
        safe: true,
      });
    const res = s.refresh ? await revoke(s.refresh, 'refresh_token') : null;
    const access = await revoke(s.access, 'access_token');
    return res ?? access;
  }

  /** Drops the kept tokens (the next call exchanges the key again). */
  forgetTokens() {
    this.#session = null;
  }

  #keep(pair) {
    const lifeMs = pair.expires_in * 1000;
    // Renew before expiry, a tenth of the lifetime early (at least 1 s, at most 60 s), so a token never expires
    // on its way to the server. Timed by our own clock from receipt: no dependence on the server's clock.
    const marginMs = Math.min(60_000, Math.max(1_000, lifeMs / 10));
    this.#session = {
      access: pair.access_token,
      renewAtMs: Date.now() + lifeMs - marginMs,
      refresh: pair.refresh_token ?? null,
    };
    return pair.access_token;
  }

  async #accessToken() {
    const s = this.#session;
    if (s && Date.now() < s.renewAtMs) return s.access;
    if (!this.#tokenFlight) {
      this.#tokenFlight = this.#renew().finally(() => {
        this.#tokenFlight = null;
      });
    }
    return this.#tokenFlight;
  }

  /** Refresh when we hold a refresh token, else (or when the refresh is refused or lost) exchange the key. */
  async #renew() {
    const refresh = this.#session?.refresh;
    if (refresh) {
      try {
        const res = await this.#send('POST', '/api/v1/auth/refresh', {
          auth: false,
          body: { refresh_token: refresh },
          // Never repeat a refresh whose answer may have been lost: the token is single use, and presenting it
          // again is treated as a leak that revokes every session of the client. Exchange the key instead.
          safe: false,
        });
        this.#lastPair = res;
        return this.#keep(res.data);
      } catch (e) {
        if (e instanceof KosherCatalogError && e.code === 'rate_limited') throw e;
        // refresh_token_invalid / _reused, a lost answer, an outage: fall through to a new exchange.
      }
    }
    this.#session = null;
    const res = await this.exchangeToken();
    return res.data.access_token;
  }

  /** After a 401: forget the token the request used (unless another call already replaced it). */
  #tokenRefused(token) {
    const s = this.#session;
    if (s && s.access === token) this.#session = { ...s, renewAtMs: 0 };
  }

  // ── the request loop ──────────────────────────────────────────────────────────────────────────────────────

  /**
   * One API call with the retry policy. `safe`: the request may be repeated (GET/HEAD/DELETE, or billed under one
   * Idempotency-Key). 429 is waited out for any request (the server refused it, nothing happened).
   */
  async #send(method, path, opts = {}) {
    const { auth = true, body, query, idempotencyKey, signal, accept = 'application/json' } = opts;
    const safe = opts.safe ?? (method === 'GET' || method === 'HEAD' || method === 'DELETE');
    const url = new URL(this.#baseUrl + path);
    appendQuery(url, query);
    const payload = body === undefined ? undefined : JSON.stringify(body);
    let refreshedAfter401 = false;
    let lastError = null;
    for (let attempt = 0; attempt <= this.#maxRetries; attempt++) {
      const headers = { accept, 'user-agent': this.#userAgent };
      if (payload !== undefined) headers['content-type'] = 'application/json';
      if (idempotencyKey) headers['idempotency-key'] = idempotencyKey;
      let token = null;
      if (auth) {
        token = await this.#accessToken();
        headers.authorization = `Bearer ${token}`;
      }
      const timeout = AbortSignal.timeout(this.#timeoutMs);
      const attemptSignal = signal ? anySignal(signal, timeout) : timeout;
      let res;
      let parsed;
      try {
        res = await this.#fetch(url, { method, headers, body: payload, signal: attemptSignal });
        parsed = await readBody(res, method);
      } catch (e) {
        if (signal?.aborted) throw signal.reason;
        const timedOut = timeout.aborted;
        lastError = new KosherCatalogError(
          timedOut ? 'timeout' : 'network_error',
          timedOut
            ? `${method} ${path}: no answer within ${this.#timeoutMs} ms`
            : `${method} ${path}: ${describeNetworkError(e)}`,
          { cause: e },
        );
        // The request may or may not have reached the server: repeat it only when that is harmless.
        if (!safe || attempt === this.#maxRetries) throw lastError;
        await this.#pause(attempt, null, lastError.code, { method, path, signal });
        continue;
      }
      if (res.ok) {
        return {
          data: parsed,
          bill: billOf(parsed, res.headers),
          status: res.status,
          headers: res.headers,
          rateLimit: rateLimitOf(res.headers),
        };
      }
      const err = toError(res, parsed, method, path);
      if (res.status === 401 && auth && !refreshedAfter401) {
        // A token the server refuses (revoked, expired early, keys rotated): renew once and repeat at once.
        refreshedAfter401 = true;
        this.#tokenRefused(token);
        attempt--;
        continue;
      }
      const wait = retryAfterSeconds(res.headers);
      const retry =
        res.status === 429 ||
        (safe && RETRYABLE_STATUS.has(res.status)) ||
        // 409 conflict + Retry-After: the first attempt under this key is still running; ask again later.
        (res.status === 409 && wait !== null && Boolean(idempotencyKey));
      if (!retry || attempt === this.#maxRetries) throw err;
      if (wait !== null && wait > this.#maxRetryAfterSec) throw err;
      await this.#pause(attempt, wait, err.code, { method, path, signal, status: res.status });
    }
    throw lastError ?? new KosherCatalogError('retries_exhausted', `${method} ${path}: gave up`);
  }

  /** Waits before the next attempt: the server's Retry-After when given, else jittered exponential backoff. */
  async #pause(attempt, retryAfterSec, reason, info) {
    const backoff = Math.min(8_000, this.#retryBaseMs * 2 ** attempt);
    // Full jitter spreads the retries of many clients that failed together; Retry-After is a floor, plus a little.
    const delayMs =
      retryAfterSec !== null ? retryAfterSec * 1000 + Math.random() * 100 : backoff / 2 + (Math.random() * backoff) / 2;
    this.#onRetry?.({
      attempt: attempt + 1,
      reason,
      delayMs,
      method: info.method,
      path: info.path,
      status: info.status ?? null,
    });
    await sleep(delayMs, info.signal);
  }

  // ── products (billed) ─────────────────────────────────────────────────────────────────────────────────────

  /** GET /api/v1/products/{barcode} — billed by what it returns (docs: what you ask for is what you pay). */
  getProduct(barcode, opts = {}) {
    return this.#send('GET', `/api/v1/products/${encodeURIComponent(barcode)}`, {
      query: {
        include: opts.include,
        variants: opts.variants,
        image_size: opts.imageSize,
        image_format: opts.imageFormat,
      },
      idempotencyKey: opts.idempotencyKey ?? newIdempotencyKey(),
      safe: true,
      signal: opts.signal,
    });
  }

  /** HEAD /api/v1/products/{barcode} — billed products.head; {exists, variants}; a 404 is `exists: false`. */
  async headProduct(barcode, opts = {}) {
    try {
      const res = await this.#send('HEAD', `/api/v1/products/${encodeURIComponent(barcode)}`, {
        idempotencyKey: opts.idempotencyKey ?? newIdempotencyKey(),
        safe: true,
        signal: opts.signal,
      });
      const v = res.headers.get('x-available-variants');
      return { ...res, data: { exists: true, variants: v ? v.split(',') : [] } };
    } catch (e) {
      if (e instanceof KosherCatalogError && e.status === 404 && e.body === undefined) {
        return {
          data: { exists: false, variants: [] },
          bill: e.bill,
          status: 404,
          headers: e.headers,
          rateLimit: rateLimitOf(e.headers),
        };
      }
      throw e;
    }
  }

  /**
   * POST /api/v1/products/bulk-check for any number of barcodes: chunks of 500, one request each with its own
   * Idempotency-Key, results in input order. With `idempotencyKey`, chunk i uses `<key>.<i>`, so repeating the
   * whole call with the same key replays the chunks already paid for instead of paying again.
   */
  async bulkCheck(barcodes, opts = {}) {
    if (!Array.isArray(barcodes) || barcodes.length === 0) throw new TypeError('barcodes: a non-empty array');
    if (opts.idempotencyKey && opts.idempotencyKey.length > 240)
      throw new TypeError('idempotencyKey: at most 240 characters');
    const results = [];
    const chunks = [];
    let creditsDebited = 0;
    for (let i = 0, n = 0; i < barcodes.length; i += BULK_CHECK_CHUNK, n++) {
      const part = barcodes.slice(i, i + BULK_CHECK_CHUNK);
      const res = await this.#send('POST', '/api/v1/products/bulk-check', {
        body: { barcodes: part },
        idempotencyKey: opts.idempotencyKey ? `${opts.idempotencyKey}.${n}` : newIdempotencyKey(),
        safe: true,
        signal: opts.signal,
      });
      results.push(...res.data.results);
      chunks.push(res.bill);
      creditsDebited = addCredits(creditsDebited, res.bill.creditsDebited);
    }
    const last = chunks[chunks.length - 1];
    return {
      data: { results },
      bill: { ...last, creditsDebited, replayed: chunks.every((c) => c.replayed) },
      chunks,
    };
  }

  // ── listing (free) ────────────────────────────────────────────────────────────────────────────────────────

  /** GET /api/v1/products: one page (filters, per_page, cursor or page). */
  listProducts(query = {}, opts = {}) {
    return this.#send('GET', '/api/v1/products', { query, signal: opts.signal });
  }

  /** Every page of a listing, following page_info.next_cursor until it is null. */
  async *pages(query = {}, opts = {}) {
    const { cursor: _ignored, page: _page, ...filters } = query;
    const seen = new Set();
    let cursor;
    for (;;) {
      const res = await this.listProducts(cursor ? { ...filters, cursor } : filters, opts);
      yield res;
      cursor = res.data.page_info.next_cursor;
      if (!cursor) return;
      // A cursor never repeats in a healthy traversal; stop rather than loop forever if one does.
      if (seen.has(cursor))
        throw new KosherCatalogError('cursor_loop', 'The listing returned a cursor it had returned before.');
      seen.add(cursor);
    }
  }

  /** Every product summary of a listing, across pages (cursor paging; stable under concurrent inserts). */
  async *iterateProducts(query = {}, opts = {}) {
    for await (const page of this.pages(query, opts)) yield* page.data.items;
  }

  // ── account (free) ────────────────────────────────────────────────────────────────────────────────────────

  balance(opts = {}) {
    return this.#send('GET', '/api/v1/balance', { signal: opts.signal });
  }

  account(opts = {}) {
    return this.#send('GET', '/api/v1/account', { signal: opts.signal });
  }

  pricing(opts = {}) {
    return this.#send('GET', '/api/v1/pricing', { auth: false, signal: opts.signal });
  }

  usage(query = {}, opts = {}) {
    return this.#send('GET', '/api/v1/usage', { query, signal: opts.signal });
  }

  // ── webhooks (free) ───────────────────────────────────────────────────────────────────────────────────────

  /** POST /api/v1/webhooks → the subscription with its `secret` (shown once: store it). Not repeated on failure. */
  createWebhook(input, opts = {}) {
    return this.#send('POST', '/api/v1/webhooks', { body: input, signal: opts.signal });
  }

  listWebhooks(opts = {}) {
    return this.#send('GET', '/api/v1/webhooks', { signal: opts.signal });
  }

  getWebhook(id, opts = {}) {
    return this.#send('GET', `/api/v1/webhooks/${encodeURIComponent(id)}`, { signal: opts.signal });
  }

  updateWebhook(id, patch, opts = {}) {
    return this.#send('PATCH', `/api/v1/webhooks/${encodeURIComponent(id)}`, {
      body: patch,
      signal: opts.signal,
      safe: true,
    });
  }

  deleteWebhook(id, opts = {}) {
    return this.#send('DELETE', `/api/v1/webhooks/${encodeURIComponent(id)}`, { signal: opts.signal });
  }

  testWebhook(id, opts = {}) {
    return this.#send('POST', `/api/v1/webhooks/${encodeURIComponent(id)}/test`, { body: {}, signal: opts.signal });
  }

  /** POST /api/v1/webhooks/{id}/verify: a new challenge to the endpoint; the subscription with its `verification`. */
  verifyWebhookEndpoint(id, opts = {}) {
    return this.#send('POST', `/api/v1/webhooks/${encodeURIComponent(id)}/verify`, { signal: opts.signal });
  }

  /** POST /api/v1/webhooks/{id}/replay: send again the kept events of [since, until) (`until` defaults to now). */
  replayWebhook(id, range, opts = {}) {
    return this.#send('POST', `/api/v1/webhooks/${encodeURIComponent(id)}/replay`, {
      body: range,
      signal: opts.signal,
    });
  }

  /** GET /api/v1/webhooks/{id}/deliveries: the delivery log, newest first (`limit` 1–100, `status`). */
  listWebhookDeliveries(id, query = {}, opts = {}) {
    return this.#send('GET', `/api/v1/webhooks/${encodeURIComponent(id)}/deliveries`, { query, signal: opts.signal });
  }

  // ── service (public) ──────────────────────────────────────────────────────────────────────────────────────

  /** GET /api/v1/health: the service and its dependencies (no token). */
  health(opts = {}) {
    return this.#send('GET', '/api/v1/health', { auth: false, signal: opts.signal });
  }

  /** GET /api/v1/openapi.json: the API's OpenAPI document (no token). */
  openApi(opts = {}) {
    return this.#send('GET', '/api/v1/openapi.json', { auth: false, signal: opts.signal });
  }

  // ── GraphQL ───────────────────────────────────────────────────────────────────────────────────────────────

  /**
   * POST /graphql. Always with an Idempotency-Key (an operation that selects paid fields is billed; repeating it
   * under the same key is answered from the one charge). Operation-stopping errors (401, 402, 429 …) throw
   * KosherCatalogError with the REST code; field errors come back in `errors` beside partial `data`.
   */
  async graphql(query, variables, opts = {}) {
    const res = await this.#send('POST', '/graphql', {
      body: {
        query,
        ...(variables ? { variables } : {}),
        ...(opts.operationName ? { operationName: opts.operationName } : {}),
      },
      idempotencyKey: opts.idempotencyKey ?? newIdempotencyKey(),
      safe: true,
      signal: opts.signal,
      accept: 'application/graphql-response+json, application/json;q=0.9',
    });
    const b = res.data ?? {};
    return { ...res, data: b.data ?? null, errors: b.errors ?? [], extensions: b.extensions ?? {} };
  }

  // ── images ────────────────────────────────────────────────────────────────────────────────────────────────

  /**
   * Redeems a signed image URL once (GET /api/v1/image/{token}) and returns the bytes, or writes them to `to`
   * (a file path; written to a temporary name first and renamed, so a half-written file never appears).
   * Signed URLs are one-shot: the first GET that reaches the server redeems it, so this never repeats a request
   * that may have arrived. Only a connection that was refused or never resolved is tried again.
   */
  async downloadImage(signedUrl, opts = {}) {
    const attempts = 1 + Math.min(this.#maxRetries, 2);
    for (let attempt = 0; ; attempt++) {
      const timeout = AbortSignal.timeout(opts.timeoutMs ?? Math.max(this.#timeoutMs, 60_000));
      const signal = opts.signal ? anySignal(opts.signal, timeout) : timeout;
      let res;
      try {
        res = await this.#fetch(signedUrl, { method: 'GET', headers: { 'user-agent': this.#userAgent }, signal });
      } catch (e) {
        if (opts.signal?.aborted) throw opts.signal.reason;
        const code = connectCode(e);
        if (code && NOT_SENT_CODES.has(code) && attempt + 1 < attempts) {
          await this.#pause(attempt, null, 'network_error', {
            method: 'GET',
            path: '/api/v1/image/…',
            signal: opts.signal,
          });
          continue;
        }
        throw new KosherCatalogError(
          timeout.aborted ? 'timeout' : 'network_error',
          `image download: ${describeNetworkError(e)}`,
          {
            cause: e,
          },
        );
      }
      if (!res.ok) {
        const parsed = await readBody(res, 'GET').catch(() => undefined);
        throw toError(res, parsed, 'GET', '/api/v1/image/…');
      }
      const bytes = new Uint8Array(await res.arrayBuffer());
      const length = num(res.headers.get('content-length'));
      if (length !== null && length !== bytes.length)
        throw new KosherCatalogError('truncated', `image download: got ${bytes.length} of ${length} bytes`);
      const info = {
        contentType: res.headers.get('content-type'),
        etag: res.headers.get('etag'),
        size: bytes.length,
        filename: /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? null,
      };
      if (!opts.to) return { ...info, bytes };
      const { writeFile, rename } = await import('node:fs/promises');
      const tmp = `${opts.to}.${process.pid}.${Date.now()}.part`;
      await writeFile(tmp, bytes);
      await rename(tmp, opts.to);
      return { ...info, path: opts.to };
    }
  }
}

async function readBody(res, method) {
  if (method === 'HEAD' || res.status === 204) {
    await res.body?.cancel();
    return undefined;
  }
  const text = await res.text();
  if (!text) return undefined;
  const type = res.headers.get('content-type') ?? '';
  if (type.includes('json')) {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  return text;
}

function toError(res, body, method, path) {
  const b = body && typeof body === 'object' ? body : undefined;
  // GraphQL operation-stopping errors: {errors: [{message, extensions: {code: "RATE_LIMITED"}}]}.
  const gql = b?.errors?.[0];
  const code =
    (typeof b?.error === 'string' ? b.error : undefined) ??
    (typeof gql?.extensions?.code === 'string' ? gql.extensions.code.toLowerCase() : undefined) ??
    (method === 'HEAD' && res.status === 400 && path.startsWith('/api/v1/products/') ? 'invalid_barcode' : undefined) ??
    CODE_BY_STATUS[res.status] ??
    `http_${res.status}`;
  const message =
    (typeof b?.message === 'string' ? b.message : undefined) ??
    (typeof gql?.message === 'string' ? gql.message : undefined) ??
    `${method} ${path}: HTTP ${res.status}`;
  const err = new KosherCatalogError(code, message, {
    status: res.status,
    requestId: b?.request_id ?? res.headers.get('x-request-id'),
    retryAfterSec: retryAfterSeconds(res.headers),
    body,
  });
  err.headers = res.headers;
  err.bill = billOf(b, res.headers);
  return err;
}

/** Aborts when either signal does (AbortSignal.any is missing before Node 20.3). */
function anySignal(a, b) {
  if (typeof AbortSignal.any === 'function') return AbortSignal.any([a, b]);
  const c = new AbortController();
  for (const s of [a, b]) {
    if (s.aborted) c.abort(s.reason);
    else s.addEventListener('abort', () => c.abort(s.reason), { once: true });
  }
  return c.signal;
}

function connectCode(e) {
  let c = e;
  for (let i = 0; i < 4 && c; i++) {
    if (typeof c.code === 'string') return c.code;
    c = c.cause;
  }
  return null;
}

function describeNetworkError(e) {
  const code = connectCode(e);
  const inner = e?.cause?.message ?? e?.message ?? String(e);
  return code ? `${inner} (${code})` : inner;
}
