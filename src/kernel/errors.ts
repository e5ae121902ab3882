// The one hierarchy of domain errors. Services throw AppError with a stable code from docs/errors.md#error-codes; each
// transport maps it once (REST: status + {error, message, request_id}; GraphQL: extensions.code).
// Anything that is not an AppError is a bug and becomes `internal_error` with nothing else revealed.

const ERROR_STATUS = {
  bad_request: 400,
  invalid_barcode: 400,
  unknown_parameter: 400,
  unauthenticated: 401,
  invalid_credentials: 401,
  refresh_token_invalid: 401,
  refresh_token_reused: 401,
  insufficient_credits: 402,
  client_disabled: 403,
  client_ip_not_allowed: 403,
  out_of_scope: 403,
  forbidden: 403,
  signed_url_invalid: 403,
  signed_url_ip_mismatch: 403,
  not_found: 404,
  variant_not_available: 404,
  route_not_found: 404,
  method_not_allowed: 405,
  idempotency_key_mismatch: 409,
  conflict: 409,
  signed_url_expired: 410,
  signed_url_used: 410,
  payload_too_large: 413,
  uri_too_long: 414,
  unsupported_media_type: 415,
  unprocessable_image: 422,
  rate_limited: 429,
  internal_error: 500,
  service_unavailable: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** Extra response headers (Allow, Retry-After, WWW-Authenticate …). */
    readonly headers: Record<string, string> = {},
    /**
     * REST only: the error body when a standard the client speaks dictates it (OAuth2 token errors,
     * docs/rest.md#oauth2-client-credentials); `request_id` is added. Default: `{error, message, request_id}`.
     */
    readonly body?: Record<string, string>,
  ) {
    super(message);
    this.status = ERROR_STATUS[code];
  }
}

/** The GraphQL extensions.code of a REST code: upper snake case. */
export const graphqlCode = (code: ErrorCode) => code.toUpperCase();

/** True when a thrown value looks like an unreachable dependency (database, Redis or the blob store). */
export function isDependencyDown(e: unknown): boolean {
  const err = e as { code?: string; name?: string; message?: string } | null;
  if (!err) return false;
  const codes = [
    'ECONNREFUSED',
    'ECONNRESET',
    'ETIMEDOUT',
    'EPIPE',
    'ENOTFOUND',
    'CONNECTION_CLOSED',
    'CONNECTION_ENDED',
    'CONNECTION_DESTROYED',
    'CONNECT_TIMEOUT',
    '57P01',
    '57P03',
    '53300',
    'BLOB_STORE_UNAVAILABLE', // src/platform/blobs/s3-blob-store.ts: the bucket did not answer, or answered 5xx
    'REDIS_UNAVAILABLE', // src/platform/shared-state/redis-state.ts: a Redis Cluster could not serve the key in time
  ];
  if (err.code && codes.includes(err.code)) return true;
  return /Connection is closed|Stream isn't writeable|Command timed out|MaxRetriesPerRequest/i.test(err.message ?? '');
}
