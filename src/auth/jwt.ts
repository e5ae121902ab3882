// HS256 JSON Web Tokens with node:crypto only. Verification accepts nothing but alg HS256 with a `kid` from
// the key ring (so `none`, RS/HS confusion and unknown keys all fail the same way), compares the signature in
// constant time, and only then looks at the claims. Every failure is the same `null`: callers answer 401
// without telling an attacker which check failed.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { KeyEntry } from '../config.ts';

export interface AccessClaims {
  iss: string;
  sub: string;
  iat: number;
  exp: number;
  jti: string;
  tier: string;
  scope_hash: string;
}

const b64 = (s: string | Buffer) => Buffer.from(s).toString('base64url');

function hmac(secret: string, data: string): Buffer {
  return createHmac('sha256', secret).update(data).digest();
}

/** Signs with the first key of the ring. */
export function signJwt(claims: AccessClaims, keys: KeyEntry[]): string {
  const key = keys[0];
  const head = b64(JSON.stringify({ alg: 'HS256', typ: 'JWT', kid: key.kid }));
  const body = b64(JSON.stringify(claims));
  return `${head}.${body}.${hmac(key.secret, `${head}.${body}`).toString('base64url')}`;
}

function parsePart(part: string): Record<string, unknown> | null {
  if (!/^[A-Za-z0-9_-]+$/.test(part)) return null;
  try {
    const v = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? v : null;
  } catch {
    return null;
  }
}

/**
 * Verifies signature, issuer and lifetime. `nowSec` is injectable for tests. Returns the claims or null.
 * A small leeway on `iat` tolerates clock skew between nodes; `exp` has none (1 h tokens are refreshed early).
 */
export function verifyJwt(
  token: string,
  keys: KeyEntry[],
  issuer: string,
  nowSec = Math.floor(Date.now() / 1000),
): AccessClaims | null {
  if (token.length > 4096) return null;
  const parts = token.split('.');
  if (parts.length !== 3 || !parts[2]) return null;
  const head = parsePart(parts[0]);
  if (!head || head.alg !== 'HS256' || typeof head.kid !== 'string') return null;
  if (head.typ !== undefined && head.typ !== 'JWT') return null;
  const key = keys.find((k) => k.kid === head.kid);
  if (!key || !/^[A-Za-z0-9_-]+$/.test(parts[2])) return null;
  const expected = hmac(key.secret, `${parts[0]}.${parts[1]}`);
  const got = Buffer.from(parts[2], 'base64url');
  if (got.length !== expected.length || !timingSafeEqual(got, expected)) return null;
  const c = parsePart(parts[1]);
  if (!c) return null;
  const str = (k: string) => typeof c[k] === 'string' && (c[k] as string).length > 0;
  const int = (k: string) => Number.isSafeInteger(c[k]);
  if (
    !str('iss') ||
    !str('sub') ||
    !str('jti') ||
    !str('tier') ||
    typeof c.scope_hash !== 'string' ||
    !int('iat') ||
    !int('exp')
  )
    return null;
  if (c.iss !== issuer) return null;
  if ((c.exp as number) <= nowSec || (c.iat as number) > nowSec + 60) return null;
  return c as unknown as AccessClaims;
}
