// Types of @kosher-catalog/client (the implementation is src/index.js). Request and response shapes come from the
// OpenAPI types generated from schema/openapi.yaml (src/openapi.d.ts, `npm run generate`), so they follow the
// contract; the client's own shapes (options, bills, errors) are declared here.
import type { components, operations } from './openapi.js';

export type { components, operations, paths } from './openapi.js';

type Schemas = components['schemas'];
/** The JSON body of an operation's answer with the given status. */
export type ResponseBody<O extends keyof operations, S extends number = 200> =
  operations[O]['responses'] extends Record<S, { content: { 'application/json': infer T } }> ? T : never;

export declare const VERSION: string;
/** Barcodes per bulk-check request (the API's maximum). */
export declare const BULK_CHECK_CHUNK: 500;

export type Variant = Schemas['Variant'];
/** The stable `error` codes of the API, and the client's own: timeout, network_error, truncated, cursor_loop. */
export type ErrorCode =
  | Schemas['Error']['error']
  | 'timeout'
  | 'network_error'
  | 'truncated'
  | 'cursor_loop'
  | 'retries_exhausted'
  | (string & {});

/** What a call cost, from `meta` (or `extensions.billing`) and the X-Credits-* headers. */
export interface Bill {
  /** Credits this call charged (exact to 0.0001; 0 for free calls, errors and idempotent replays). */
  creditsDebited: number;
  /** The account's balance after the call (null where the answer does not say). */
  creditsRemaining: number | null;
  requestId: string | null;
  /** True when the call ran in test mode (a kc_test_ key): the bill is computed and reported, no credit moves. */
  testMode: boolean;
  /** True when the server answered from an earlier attempt under the same Idempotency-Key (nothing charged). */
  replayed: boolean;
}

export interface RateLimitInfo {
  minute: { limit: number; remaining: number | null };
  day: { limit: number | null; remaining: number | null };
  /** Unix epoch second at which the tightest bucket refills. */
  reset: number | null;
}

export interface ApiResult<T> {
  data: T;
  bill: Bill;
  status: number;
  headers: Headers;
  rateLimit: RateLimitInfo | null;
}

/** Told before every retry (for logs and metrics). */
export interface RetryInfo {
  /** 1 for the first retry. */
  attempt: number;
  /** The error code that caused it: rate_limited, timeout, network_error, internal_error, conflict … */
  reason: string;
  delayMs: number;
  method: string;
  path: string;
  status: number | null;
}

export interface ClientOptions {
  /** e.g. https://api.example.org (no trailing /api/v1). */
  baseUrl: string;
  clientId: string;
  /** kc_live_… or kc_test_… (sandbox). Sent only to POST /api/v1/auth/token. */
  apiKey: string;
  /** A fetch implementation (default: globalThis.fetch). */
  fetch?: typeof fetch;
  /** Per attempt (default 30000). */
  timeoutMs?: number;
  /** Retries after the first attempt (default 4); a 401 adds one more after renewing the token. */
  maxRetries?: number;
  /** First backoff step in ms, doubled per retry up to 8 s, with jitter (default 250). */
  retryBaseMs?: number;
  /** A Retry-After longer than this (seconds) is not waited out: the error is thrown (default 120). */
  maxRetryAfterSec?: number;
  onRetry?: (info: RetryInfo) => void;
  userAgent?: string;
}

export interface CallOptions {
  signal?: AbortSignal;
}

export interface BilledCallOptions extends CallOptions {
  /** 20–255 visible ASCII characters; default a random key per call (kept across its retries). */
  idempotencyKey?: string;
}

type ProductQuery = NonNullable<operations['getProduct']['parameters']['query']>;
export interface GetProductOptions extends BilledCallOptions {
  /** Omitted = all three scopes (and all three are billed). */
  include?: ProductQuery['include'];
  variants?: ProductQuery['variants'];
  imageSize?: ProductQuery['image_size'];
  imageFormat?: ProductQuery['image_format'];
}

export type Product = ResponseBody<'getProduct'>;
export type ProductMeta = Schemas['ProductMeta'];
export type ImageMeta = Schemas['ImageMeta'];
export type ProductSummary = Schemas['ProductSummary'];
export type ListQuery = NonNullable<operations['listProducts']['parameters']['query']>;
/** Filters of the listing, without the paging position (the iterator owns the cursor). */
export type ListFilters = Omit<ListQuery, 'cursor' | 'page'>;
export type ProductPage = ResponseBody<'listProducts'>;
export type BulkCheckRow = ResponseBody<'bulkCheckProducts'>['results'][number];
export type Balance = ResponseBody<'getBalance'>;
export type Account = ResponseBody<'getAccount'>;
export type Pricing = ResponseBody<'getPricing'>;
export type Usage = ResponseBody<'getUsage'>;
export type UsageQuery = NonNullable<operations['getUsage']['parameters']['query']>;
/** A token pair. `expires_in` is 3600 in production; a deployment may configure another lifetime. */
export type TokenPair = Omit<components['responses']['TokenPair']['content']['application/json'], 'expires_in'> & {
  expires_in: number;
};
export type WebhookCreate = Schemas['WebhookCreate'];
export type WebhookUpdate = Schemas['WebhookUpdate'];
export type Webhook = Schemas['Webhook'];
export type WebhookCreated = ResponseBody<'createWebhook', 201>;
export type WebhookEventType = Schemas['WebhookEvent'];

/** A verified webhook delivery's body (docs/webhooks.md#payloads). */
export interface WebhookEvent {
  type: WebhookEventType | 'webhook.test' | (string & {});
  timestamp: string;
  data: {
    barcode?: string;
    updated_at?: string;
    /** product.updated: the names of the fields that changed (never their values). */
    changed_fields?: string[];
    /** image events */
    variant?: Variant;
    [key: string]: unknown;
  };
  [key: string]: unknown;
}

export interface HeadResult {
  exists: boolean;
  variants: Variant[];
}

export interface BulkCheckResult {
  data: { results: BulkCheckRow[] };
  /** The sum over the chunks (creditsRemaining and requestId of the last chunk). */
  bill: Bill;
  /** One bill per request of 500. */
  chunks: Bill[];
}

export interface GraphQLResult<D = Record<string, unknown>> extends Omit<ApiResult<D | null>, 'data'> {
  data: D | null;
  errors: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
  extensions: Record<string, unknown>;
}

export interface DownloadInfo {
  contentType: string | null;
  etag: string | null;
  size: number;
  /** From Content-Disposition: <barcode>_<variant>.<ext>. */
  filename: string | null;
}

export interface DownloadOptions extends CallOptions {
  /** Write the image to this file (atomically) instead of returning the bytes. */
  to?: string;
  timeoutMs?: number;
}

/** An API error: switch on `code` (the stable `error` field); `message` is human text and may change. */
export declare class KosherCatalogError extends Error {
  readonly name: 'KosherCatalogError';
  readonly code: ErrorCode;
  /** HTTP status; 0 when no answer came (timeout, network_error). */
  readonly status: number;
  readonly requestId: string | null;
  /** The server's Retry-After (or RateLimit reset) in seconds, when it gave one. */
  readonly retryAfterSec: number | null;
  /** The parsed error body, if any. */
  readonly body: unknown;
  /** The answer's headers (HTTP errors only). */
  headers?: Headers;
  /** The answer's bill (HTTP errors only; errors are never billed). */
  bill?: Bill;
  constructor(
    code: string,
    message: string,
    extra?: {
      status?: number;
      requestId?: string | null;
      retryAfterSec?: number | null;
      body?: unknown;
      cause?: unknown;
    },
  );
}

export declare class WebhookVerificationError extends Error {
  readonly name: 'WebhookVerificationError';
  readonly code: 'webhook_invalid';
  constructor(message: string, cause?: unknown);
}

export declare function keyMode(apiKey: string): 'test' | 'live' | 'unknown';
export declare function newIdempotencyKey(): string;
/** Seconds to wait from Retry-After, else the exhausted bucket of the RateLimit field; null when neither says. */
export declare function retryAfterSeconds(headers: Headers): number | null;

/**
 * Verifies a delivery (Standard Webhooks) and returns its event; throws WebhookVerificationError otherwise.
 * Pass the raw body exactly as received.
 */
export declare function verifyWebhook(
  secret: string,
  headers: Headers | Record<string, string | string[] | undefined>,
  rawBody: string | Uint8Array,
): WebhookEvent;

export declare class KosherCatalog {
  constructor(options: ClientOptions);
  /** From the key prefix: 'test' (kc_test_) or 'live' (kc_live_). */
  readonly mode: 'test' | 'live' | 'unknown';
  readonly baseUrl: string;

  /** Exchanges the key for a token pair now (calls do it on their own when needed). */
  exchangeToken(): Promise<ApiResult<TokenPair>>;
  /** A new pair now (POST /api/v1/auth/refresh; the key is exchanged when there is no usable refresh token). */
  refreshTokens(): Promise<ApiResult<TokenPair>>;
  /** Log-out: revokes the kept refresh and access tokens (POST /api/v1/auth/revoke) and forgets them; null when none is kept. */
  revokeTokens(): Promise<ApiResult<ResponseBody<'revokeToken'>> | null>;
  forgetTokens(): void;

  getProduct(barcode: string, options?: GetProductOptions): Promise<ApiResult<Product>>;
  headProduct(barcode: string, options?: BilledCallOptions): Promise<ApiResult<HeadResult>>;
  /** Any number of barcodes, in chunks of 500; results in input order. */
  bulkCheck(barcodes: string[], options?: BilledCallOptions): Promise<BulkCheckResult>;

  listProducts(query?: ListQuery, options?: CallOptions): Promise<ApiResult<ProductPage>>;
  pages(filters?: ListFilters, options?: CallOptions): AsyncGenerator<ApiResult<ProductPage>, void, undefined>;
  iterateProducts(filters?: ListFilters, options?: CallOptions): AsyncGenerator<ProductSummary, void, undefined>;

  balance(options?: CallOptions): Promise<ApiResult<Balance>>;
  account(options?: CallOptions): Promise<ApiResult<Account>>;
  pricing(options?: CallOptions): Promise<ApiResult<Pricing>>;
  usage(query?: UsageQuery, options?: CallOptions): Promise<ApiResult<Usage>>;

  createWebhook(input: WebhookCreate, options?: CallOptions): Promise<ApiResult<WebhookCreated>>;
  listWebhooks(options?: CallOptions): Promise<ApiResult<ResponseBody<'listWebhooks'>>>;
  getWebhook(id: string, options?: CallOptions): Promise<ApiResult<ResponseBody<'getWebhook'>>>;
  updateWebhook(
    id: string,
    patch: WebhookUpdate,
    options?: CallOptions,
  ): Promise<ApiResult<ResponseBody<'updateWebhook'>>>;
  deleteWebhook(id: string, options?: CallOptions): Promise<ApiResult<undefined>>;
  testWebhook(id: string, options?: CallOptions): Promise<ApiResult<ResponseBody<'testWebhook'>>>;
  /** Sends the endpoint a new verification challenge; the subscription with its `verification` outcome. */
  verifyWebhookEndpoint(id: string, options?: CallOptions): Promise<ApiResult<ResponseBody<'verifyWebhook'>>>;
  replayWebhook(
    id: string,
    range: { since: string; until?: string },
    options?: CallOptions,
  ): Promise<ApiResult<ResponseBody<'replayWebhook', 202>>>;
  listWebhookDeliveries(
    id: string,
    query?: { limit?: number; status?: 'pending' | 'delivered' | 'failed' },
    options?: CallOptions,
  ): Promise<ApiResult<ResponseBody<'listWebhookDeliveries'>>>;

  health(options?: CallOptions): Promise<ApiResult<ResponseBody<'getHealth'>>>;
  openApi(options?: CallOptions): Promise<ApiResult<ResponseBody<'getOpenApi'>>>;

  graphql<D = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    options?: BilledCallOptions & { operationName?: string },
  ): Promise<GraphQLResult<D>>;

  /** Redeems a one-shot signed image URL: the bytes, or the file written. Never repeated once sent. */
  downloadImage(signedUrl: string, options: DownloadOptions & { to: string }): Promise<DownloadInfo & { path: string }>;
  downloadImage(signedUrl: string, options?: DownloadOptions): Promise<DownloadInfo & { bytes: Uint8Array }>;
}
