// The OAuth2 client-credentials form of POST /api/v1/auth/token (RFC 6749 §4.4, docs/rest.md#oauth2-client-credentials):
// `application/x-www-form-urlencoded` with `grant_type=client_credentials`, the client authenticated by
// `client_id` + `client_secret` in the body or by HTTP Basic (§2.3.1), never both. Errors of such a request carry
// the OAuth2 error body (§5.2): `{error, error_description}` with the OAuth code; transport errors (413, 429,
// 5xx) keep our own body. A requested `scope` must be held by the client (docs/rest.md#oauth2-scope).
import { AppError, type ErrorCode } from '../../kernel/errors.ts';
import type { ClientScope } from '../../kernel/principal.ts';
import { missingScope } from './scope.ts';

type OAuthErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'unsupported_grant_type'
  | 'unauthorized_client'
  | 'invalid_scope';

const STATUS_CODE: Record<OAuthErrorCode, ErrorCode> = {
  invalid_request: 'bad_request',
  invalid_client: 'invalid_credentials',
  unsupported_grant_type: 'bad_request',
  unauthorized_client: 'bad_request',
  invalid_scope: 'bad_request',
};

/** An OAuth2 token error; `basic` adds the challenge of the scheme the client used (RFC 6749 §5.2). */
function oauthError(error: OAuthErrorCode, description: string, basic = false): AppError {
  const headers: Record<string, string> = { 'Cache-Control': 'no-store', Pragma: 'no-cache' };
  if (basic) headers['WWW-Authenticate'] = 'Basic realm="kosher-catalog"';
  return new AppError(STATUS_CODE[error], description, headers, { error, error_description: description });
}

export interface ClientCredentials {
  clientId: string;
  secret: string;
  /** True when the client authenticated with HTTP Basic. */
  basic: boolean;
  /** The requested `scope`, if any (checked once the client is known: assertScopeHeld). */
  scope: string | null;
}

const MAX_SECRET = 512;

/** application/x-www-form-urlencoded decoding of one credential (RFC 6749 §2.3.1 encodes both before Basic). */
function formDecode(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
}

/** Parses the form body and the Authorization header; throws the OAuth2 error the request earns. */
export function clientCredentials(raw: Buffer, authorization: string | undefined): ClientCredentials {
  const text = raw.toString('utf8');
  const form = new URLSearchParams(text);
  const basic = authorization !== undefined && /^basic\s/i.test(authorization);
  for (const name of ['grant_type', 'client_id', 'client_secret', 'scope']) {
    if (form.getAll(name).length > 1) throw oauthError('invalid_request', `${name} is repeated.`, basic);
  }
  const grant = form.get('grant_type');
  if (!grant) throw oauthError('invalid_request', 'grant_type is required.', basic);
  if (grant !== 'client_credentials') {
    throw oauthError('unsupported_grant_type', 'Only grant_type=client_credentials is supported here.', basic);
  }
  const bodyId = form.get('client_id');
  const bodySecret = form.get('client_secret');
  let id: string | null;
  let secret: string | null;
  if (basic) {
    if (bodySecret !== null) {
      throw oauthError('invalid_request', 'Authenticate with HTTP Basic or client_secret in the body, not both.', true);
    }
    const decoded = Buffer.from(authorization.replace(/^basic\s+/i, '').trim(), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) throw oauthError('invalid_client', 'Malformed HTTP Basic credentials.', true);
    id = formDecode(decoded.slice(0, colon));
    secret = formDecode(decoded.slice(colon + 1));
    // A client_id in the body too is allowed only when it names the same client.
    if (bodyId !== null && bodyId !== id) {
      throw oauthError('invalid_request', 'client_id in the body differs from the HTTP Basic one.', true);
    }
  } else {
    id = bodyId;
    secret = bodySecret;
  }
  if (!id || !secret) throw oauthError('invalid_client', 'Client authentication is required.', basic);
  if (id.includes('\u0000') || secret.includes('\u0000')) {
    throw oauthError('invalid_request', 'client_id and client_secret cannot contain NUL characters.', basic);
  }
  if (id.length > MAX_SECRET || secret.length > MAX_SECRET) {
    throw oauthError('invalid_request', `client_id and client_secret are at most ${MAX_SECRET} characters.`, basic);
  }
  return { clientId: id, secret, basic, scope: form.get('scope') };
}

/** 400 invalid_scope unless the client holds every token of the requested scope (RFC 6749 §5.2). */
export function assertScopeHeld(requested: string | null, scope: ClientScope): void {
  if (requested === null) return;
  const missing = missingScope(requested, scope);
  if (!missing) return;
  throw oauthError(
    'invalid_scope',
    missing.malformed
      ? `Malformed scope "${missing.token}": use brand:<name>, ownership:<name> (percent-encoded), brand:* or ownership:*.`
      : `This client does not hold the scope "${missing.token}".`,
  );
}

/** Our error of a failed exchange as the OAuth2 error of the same meaning; others (429, 5xx) pass unchanged. */
export function asOAuthError(e: unknown, basic: boolean): unknown {
  if (!(e instanceof AppError) || e.body) return e;
  if (e.code === 'invalid_credentials')
    return oauthError('invalid_client', 'Unknown client or wrong client_secret.', basic);
  if (e.code === 'client_disabled' || e.code === 'client_ip_not_allowed') {
    return oauthError('unauthorized_client', e.message, false);
  }
  if (e.code === 'bad_request') return oauthError('invalid_request', e.message, basic);
  return e;
}
