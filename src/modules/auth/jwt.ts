// HS256 access tokens: signed here with node:crypto's HMAC, verified through jose. Every part is first checked to be canonical base64url (jose accepts other
// spellings of the same bytes), then jose verifies alg (HS256 only), the key by `kid`, `typ`, `iss`, `exp`,
// `nbf` and the token's age; we add the lifetime bound and the claim types. Every failure is the same `null`:
// callers answer 401 without telling which check failed. Rules: docs/tokens-and-sessions.md#access-tokens
import { createHmac, createSecretKey, type KeyObject, webcrypto } from 'node:crypto';
import { type JWTHeaderParameters, jwtVerify } from 'jose';
import type { KeyEntry } from '../../kernel/key-ring.ts';
import { isCanonicalBase64url } from './canonical-base64url.ts';

export interface AccessClaims {
  iss: string;
  sub: string;
  iat: number;
  exp: number;
  jti: string;
  tier: string;
  scope_hash: string;
}

/** Default lifetime of an access token (`expires_in`; ACCESS_TOKEN_TTL_SEC overrides it). */
export const ACCESS_TTL_SEC = 3600;
/** Clock skew tolerated between nodes for `iat`, `nbf` and the jti time; `exp` itself gets none. */
export const JWT_SKEW_SEC = 60;
const JWT_TYP = 'JWT';
const MAX_TOKEN_CHARS = 4096;

// One imported CryptoKey per secret, for the life of the process (key rings are fixed at start-up).
const imported = new Map<string, Promise<webcrypto.CryptoKey>>();
function cryptoKey(secret: string): Promise<webcrypto.CryptoKey> {
  let k = imported.get(secret);
  if (!k) {
    const raw = Buffer.from(secret, 'utf8');
    k = webcrypto.subtle.importKey('raw', raw, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
    imported.set(secret, k);
  }
  return k;
}

// Signing is one synchronous HMAC over a secret KeyObject made once per key: jose signs through WebCrypto, whose
// async job dispatch cost more than the HMAC itself on every exchange (docs/tokens-and-sessions.md#access-tokens).
// The bytes are the ones jose writes for the same header and claims (test/modules/auth/tokens.unit.test.ts).
const secretKeys = new Map<string, KeyObject>();
function secretKey(secret: string): KeyObject {
  let k = secretKeys.get(secret);
  if (!k) {
    k = createSecretKey(Buffer.from(secret, 'utf8'));
    secretKeys.set(secret, k);
  }
  return k;
}
// The protected header depends only on the kid: encoded once per kid.
const headers = new Map<string, string>();
function headerOf(kid: string): string {
  let h = headers.get(kid);
  if (h === undefined) {
    h = Buffer.from(JSON.stringify({ alg: 'HS256', typ: JWT_TYP, kid })).toString('base64url');
    headers.set(kid, h);
  }
  return h;
}

/** Signs with the first key of the ring. */
export function signJwt(claims: AccessClaims, keys: KeyEntry[]): string {
  const key = keys[0];
  const input = `${headerOf(key.kid)}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
  return `${input}.${createHmac('sha256', secretKey(key.secret)).update(input).digest('base64url')}`;
}

/**
 * Verifies form, signature, header and claims. `nowSec` is injectable for tests. Returns the claims or null.
 * `iat` and `nbf` get JWT_SKEW_SEC of leeway; `exp` none (1 h tokens are refreshed early). `ttlSec` is the
 * lifetime this deployment issues (ACCESS_TOKEN_TTL_SEC): no token may claim to live longer.
 */
export async function verifyJwt(
  token: string,
  keys: KeyEntry[],
  issuer: string,
  nowSec = Math.floor(Date.now() / 1000),
  ttlSec = ACCESS_TTL_SEC,
): Promise<AccessClaims | null> {
  if (token.length > MAX_TOKEN_CHARS) return null;
  const parts = token.split('.');
  if (parts.length !== 3 || !parts.every(isCanonicalBase64url)) return null;
  try {
    const { payload: c, protectedHeader: h } = await jwtVerify(
      token,
      async (header: JWTHeaderParameters) => {
        const key = typeof header.kid === 'string' ? keys.find((k) => k.kid === header.kid) : undefined;
        if (!key) throw new Error('unknown kid');
        return cryptoKey(key.secret);
      },
      {
        algorithms: ['HS256'],
        typ: JWT_TYP,
        issuer,
        maxTokenAge: ttlSec,
        clockTolerance: JWT_SKEW_SEC,
        currentDate: new Date(nowSec * 1000),
        requiredClaims: ['iss', 'sub', 'iat', 'exp', 'jti'],
      },
    );
    // jose compares typ case-insensitively and without "application/"; we only ever write it one way.
    if (h.typ !== JWT_TYP) return null;
    const str = (v: unknown) => typeof v === 'string' && v.length > 0;
    const int = (v: unknown): v is number => Number.isSafeInteger(v);
    if (!str(c.sub) || !str(c.jti) || !str(c.tier) || typeof c.scope_hash !== 'string') return null;
    if (!int(c.iat) || !int(c.exp) || (c.nbf !== undefined && !int(c.nbf))) return null;
    // jose lets exp pass within the tolerance and bounds only the age; we want neither an expired token nor
    // one that was minted to live longer than we ever issue.
    if (c.exp <= nowSec || c.exp <= c.iat || c.exp - c.iat > ttlSec + JWT_SKEW_SEC) return null;
    return c as unknown as AccessClaims;
  } catch {
    return null;
  }
}
