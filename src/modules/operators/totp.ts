// RFC 6238 time-based one-time passwords (HOTP of RFC 4226 over 30-second steps), SHA-1, 6 digits, with
// node:crypto: the second factor of operators (docs/console.md#operators). Secrets are base32 (RFC 4648), as
// authenticator apps read them from an otpauth:// URI.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const STEP_SEC = 30;

function base32Encode(buf: Buffer): string {
  let bits = 0;
  let acc = 0;
  let out = '';
  for (const b of buf) {
    acc = (acc << 8) | b;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += B32[(acc >> bits) & 31];
    }
    acc &= (1 << bits) - 1;
  }
  if (bits > 0) out += B32[(acc << (5 - bits)) & 31];
  return out;
}

/** @internal Also used by tests to compute codes. */
export function base32Decode(s: string): Buffer {
  const clean = s.replace(/[\s=]/g, '').toUpperCase();
  const out: number[] = [];
  let bits = 0;
  let acc = 0;
  for (const ch of clean) {
    const v = B32.indexOf(ch);
    if (v < 0) throw new Error('not base32');
    acc = (acc << 5) | v;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out.push((acc >> bits) & 0xff);
    }
    acc &= (1 << bits) - 1;
  }
  return Buffer.from(out);
}

/** A new 160-bit secret (RFC 4226 recommends at least 128, SHA-1's block suits 160). */
export const newTotpSecret = () => base32Encode(randomBytes(20));

/** @internal Also used by tests. The HOTP code of one counter value (RFC 4226 §5.3 dynamic truncation). */
export function hotp(secret: Buffer, counter: number): string {
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(counter));
  const h = createHmac('sha1', secret).update(msg).digest();
  const o = h[h.length - 1] & 0x0f;
  const n = ((h[o] & 0x7f) << 24) | (h[o + 1] << 16) | (h[o + 2] << 8) | h[o + 3];
  return String(n % 1_000_000).padStart(6, '0');
}

const stepAt = (ms: number) => Math.floor(ms / 1000 / STEP_SEC);

/** The step a code matches within one step of skew, or null. */
export function matchStep(secretB32: string, code: string, nowMs = Date.now()): number | null {
  if (!/^[0-9]{6}$/.test(code)) return null;
  const secret = base32Decode(secretB32);
  const now = stepAt(nowMs);
  for (const s of [now, now - 1, now + 1]) {
    if (timingSafeEqual(Buffer.from(hotp(secret, s)), Buffer.from(code))) return s;
  }
  return null;
}

export const otpauthUri = (email: string, secretB32: string) =>
  `otpauth://totp/${encodeURIComponent(`Kosher Catalog:${email}`)}?secret=${secretB32}&issuer=${encodeURIComponent('Kosher Catalog')}&algorithm=SHA1&digits=6&period=${STEP_SEC}`;
