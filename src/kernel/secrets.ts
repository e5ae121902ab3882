// API keys and refresh tokens are 256-bit random secrets. Because they carry full entropy, a fast SHA-256
// is enough to store them (a slow password KDF only protects low-entropy secrets against guessing); the
// database and its backups hold hashes only, and the clear key is shown once.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export const REFRESH_TOKEN_PREFIX = 'kc_rt_';

/** `kc_live_…` or `kc_test_…`: the mode is readable from a key, so a test key is never mistaken for a live one. */
export function newApiKey(mode: 'live' | 'test' = 'live'): string {
  return `kc_${mode}_${randomBytes(32).toString('base64url')}`;
}

export function newRefreshToken(): string {
  return REFRESH_TOKEN_PREFIX + randomBytes(32).toString('base64url');
}

export function secretHash(secret: string): Buffer {
  return createHash('sha256').update(secret, 'utf8').digest();
}

/** Constant-time equality of two SHA-256 digests. */
export function sameHash(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}
