// Signed image URL tokens (docs/signed-urls.md): base64url(JSON claims) + "." + base64url(HMAC-SHA-256(key[kid],
// claims part)). The first key of IMAGE_URL_KEYS signs, every key verifies, so a key can rotate with overlap;
// a kid no longer configured is simply an invalid signature. Pure: no I/O, the clock is passed in.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { KeyEntry } from '../config.ts';
import { IMAGE_FORMATS, IMAGE_SIZES, type ImageFormat, type ImageSize } from '../catalog/image-spec.ts';
import { VARIANTS, type Variant } from '../catalog/product.types.ts';
import type { Tier } from '../kernel/principal.ts';

export const URL_TTL_SEC = 15 * 60;
export const CLOCK_SKEW_SEC = 30;

export interface ImageClaims {
  /** Grant id: the trace handle of this one URL. */
  gid: string;
  /** Request id of the paid read that issued it. */
  rid: string;
  client_id: string;
  account_id: string;
  tier: Tier;
  /** GTIN-14 of the product. */
  barcode: string;
  /** The catalog's printed barcode (file name). */
  printed: string;
  variant: Variant;
  size: ImageSize;
  format: ImageFormat;
  /** Blob key of the exact master the URL was issued for, when the issuer knew it. */
  src?: string;
  ip: string;
  iat: number;
  exp: number;
  nonce: string;
  kid: string;
}

export type VerifyResult =
  | { ok: true; claims: ImageClaims }
  | { ok: false; reason: 'malformed' | 'bad_signature'; claims?: ImageClaims };

const TIERS = ['free', 'standard', 'enterprise'];

function mac(secret: string, payload: string): Buffer {
  return createHmac('sha256', secret).update(payload).digest();
}

export function signToken(claims: ImageClaims, key: KeyEntry): string {
  const payload = Buffer.from(JSON.stringify({ ...claims, kid: key.kid })).toString('base64url');
  return `${payload}.${mac(key.secret, payload).toString('base64url')}`;
}

/** Parses the claims part; null when it is not a well-formed claims object. Does not check the signature. */
export function decodeClaims(token: string): { payload: string; sig: string; claims: ImageClaims } | null {
  if (token.length > 2048) return null;
  const parts = token.split('.');
  if (parts.length !== 2 || !/^[A-Za-z0-9_-]+$/.test(parts[0]) || !/^[A-Za-z0-9_-]{43}$/.test(parts[1])) return null;
  let c: Record<string, unknown>;
  try {
    c = JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  if (typeof c !== 'object' || c === null || Array.isArray(c)) return null;
  const str = (k: string) => typeof c[k] === 'string' && (c[k] as string).length > 0 && (c[k] as string).length <= 200;
  const int = (k: string) => Number.isSafeInteger(c[k]);
  const ok =
    ['gid', 'rid', 'client_id', 'account_id', 'barcode', 'printed', 'ip', 'nonce', 'kid'].every(str) &&
    int('iat') &&
    int('exp') &&
    TIERS.includes(c.tier as string) &&
    (VARIANTS as readonly unknown[]).includes(c.variant) &&
    (IMAGE_SIZES as readonly unknown[]).includes(c.size) &&
    (IMAGE_FORMATS as readonly unknown[]).includes(c.format) &&
    (c.src === undefined || (typeof c.src === 'string' && /^[a-z0-9][a-z0-9._-]{2,200}$/.test(c.src))) &&
    /^[0-9]{14}$/.test(c.barcode as string);
  if (!ok) return null;
  return { payload: parts[0], sig: parts[1], claims: c as unknown as ImageClaims };
}

/** Checks form and signature (constant-time compare). Expiry, IP and redemption are the caller's next checks. */
export function verifyToken(token: string, keys: KeyEntry[]): VerifyResult {
  const d = decodeClaims(token);
  if (!d) return { ok: false, reason: 'malformed' };
  const key = keys.find((k) => k.kid === d.claims.kid);
  const given = Buffer.from(d.sig, 'base64url');
  // Unknown (retired) kid: still compare against something of the same length, so timing says nothing.
  const expected = mac(key?.secret ?? '\0unknown-kid', d.payload);
  const same = given.length === expected.length && timingSafeEqual(given, expected);
  if (!key || !same) return { ok: false, reason: 'bad_signature', claims: d.claims };
  return { ok: true, claims: d.claims };
}
