// Passwords and one-time secrets of people and operators (docs/console.md#passwords): scrypt from node:crypto
// with a random salt, the length rule and the shipped list of common passwords; random 256-bit tokens for
// sessions and links, stored as SHA-256 (full entropy needs no slow hash).
import { createHash, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { AppError } from '../../kernel/errors.ts';

const N = 16384;
const R = 8;
const P = 1;
const KEYLEN = 32;
const MIN_PASSWORD = 12;
const MAX_PASSWORD = 200;

const COMMON = new Set(
  readFileSync(new URL('./common-passwords.txt', import.meta.url), 'utf8')
    .split('\n')
    .map((l) => l.trim().toLowerCase())
    .filter(Boolean),
);

function derive(password: string, salt: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFC'), salt, KEYLEN, { N, r: R, p: P, maxmem: 64 * 1024 * 1024 }, (e, k) =>
      e ? reject(e) : resolve(k),
    ),
  );
}

/** Refuses a password the rules do not allow, with a message naming the rule (400 bad_request). */
export function assertPasswordAllowed(password: string): void {
  if (password.length < MIN_PASSWORD)
    throw new AppError('bad_request', `password: at least ${MIN_PASSWORD} characters.`);
  if (password.length > MAX_PASSWORD)
    throw new AppError('bad_request', `password: at most ${MAX_PASSWORD} characters.`);
  if (COMMON.has(password.toLowerCase()))
    throw new AppError('bad_request', 'password: this is one of the most common passwords; choose another.');
}

/** `scrypt$N$r$p$salt$hash` (base64url), so parameters can change without breaking stored hashes. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt);
  return `scrypt$${N}$${R}$${P}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

// A hash of nothing anyone knows: an unknown e-mail costs the same scrypt as a known one.
const DUMMY = `scrypt$${N}$${R}$${P}$${randomBytes(16).toString('base64url')}$${randomBytes(KEYLEN).toString('base64url')}`;

export async function verifyPassword(password: string, stored: string | null): Promise<boolean> {
  const parts = (stored ?? DUMMY).split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const key = await derive(password, Buffer.from(parts[4], 'base64url'));
  const want = Buffer.from(parts[5], 'base64url');
  return stored !== null && want.length === key.length && timingSafeEqual(want, key);
}

/** A fresh secret for a cookie or a link: 256 random bits, base64url. */
export const newSecret = () => randomBytes(32).toString('base64url');

export const sha256 = (s: string) => createHash('sha256').update(s).digest();

export function sameSecret(a: string | undefined, b: string): boolean {
  if (a === undefined) return false;
  const x = sha256(a);
  const y = sha256(b);
  return timingSafeEqual(x, y);
}

/** A plausible e-mail address, lower-cased; anything else is a 400. */
export function normalEmail(raw: string): string {
  const e = raw.trim().toLowerCase();
  if (e.length > 254 || !/^[^\s@"<>,;]+@[^\s@"<>,;]+\.[a-z0-9-]{2,}$/.test(e))
    throw new AppError('bad_request', 'email: not an e-mail address.');
  return e;
}
