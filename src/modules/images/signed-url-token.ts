// Signed image URL tokens: opaque, encrypted and authenticated (AES-256-GCM). Nothing about the client, the
// account, the requester's IP or tier can be read from a URL; any changed byte is refused. The first key of
// IMAGE_URL_KEYS seals, every key opens, so a key can rotate with overlap; a kid no longer configured is an
// invalid token. Pure: no I/O, the clock is the caller's. Format and reasons:
// docs/tokens-and-sessions.md#image-url-tokens
//
//   token   = b64url(header || ciphertext) "." b64url(tag[16])
//   header  = version(0x02) || len(kid) || kid || nonce[16]         (clear, and the GCM associated data)
//   claims  = iat u32 s || (v2 only) iat's milliseconds u16 || exp u32 s || ...
//
// Version 2 carries the issue time to the millisecond: the one-shot fence compares it with the shared store's
// generation start, which is in milliseconds, so a URL issued in the first second of a new generation redeems
// (docs/durability.md#the-generation-mark). Version 1 tokens still open (their issue time counts as the start
// of its second, the cautious reading).
//   key     = HKDF-SHA-256(secret, info = "kc-image-url/v1" || nonce) -> 32 bytes; iv = 12 zero bytes
//
// A fresh key per token (from its random 128-bit nonce) means no (key, iv) pair ever repeats, however many URLs
// one secret seals (random 96-bit IVs under one key would wear out near 2^32 tokens); the nonce is also the
// one-shot redemption key.
import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  createSecretKey,
  type KeyObject,
  randomBytes,
} from 'node:crypto';
import type { KeyEntry } from '../../kernel/key-ring.ts';
import type { Tier } from '../../kernel/principal.ts';
import { hasCanonicalTail, isCanonicalBase64url } from '../auth/index.ts';
import {
  IMAGE_FORMATS,
  IMAGE_SIZES,
  type ImageFormat,
  type ImageSize,
  VARIANTS,
  type Variant,
} from '../catalog/index.ts';

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
  /** Issue time in Unix milliseconds (version 1 tokens: iat x 1000). Fences the one-shot claim. */
  iat_ms: number;
  exp: number;
  /** 16 random bytes, base64url: the one-shot redemption key (and the token's key-derivation salt). */
  nonce: string;
  kid: string;
}

export type VerifyResult = { ok: true; claims: ImageClaims } | { ok: false; reason: 'malformed' | 'bad_signature' };

const VERSION = 0x02;
const VERSION_SECONDS = 0x01;
const INFO = Buffer.from('kc-image-url/v1');
const NONCE_BYTES = 16;
const TAG_BYTES = 16;
const TAG_CHARS = 22;
const MAX_TOKEN_CHARS = 2048;
/** Two base64url parts joined by one dot, the second the 16-byte tag. */
const TOKEN_FORM = new RegExp(`^[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]{${TAG_CHARS}}$`);
const TIERS: readonly Tier[] = ['free', 'standard', 'enterprise'];
// Stands in for the secret of an unknown kid, so that such a token costs the same work as any other.
const UNKNOWN_KID_SECRET = randomBytes(32);

// HKDF (RFC 5869) with the extract step done once per key: PRK = HMAC(salt, secret); per token only the
// expand step, OKM = HMAC(PRK, info || nonce || 0x01), 32 bytes of AES key. The key is unique per token, so a
// fixed IV never repeats under one key. The PRK is kept as a KeyObject (Node then skips preparing the key on
// every HMAC), and info || nonce || 0x01 is written into one scratch buffer (one update instead of three): this
// runs on every redemption, and is synchronous, so one shared scratch buffer is safe.
const SALT = Buffer.from('kc-image-url/v1 extract');
const ZERO_IV = Buffer.alloc(12);
const prks = new Map<string | Buffer, KeyObject>();
const EXPAND_INPUT = Buffer.alloc(INFO.length + NONCE_BYTES + 1);
INFO.copy(EXPAND_INPUT);
EXPAND_INPUT[EXPAND_INPUT.length - 1] = 1;
function tokenKey(secret: string | Buffer, nonce: Buffer): Buffer {
  let prk = prks.get(secret);
  if (!prk) {
    prk = createSecretKey(createHmac('sha256', SALT).update(secret).digest());
    prks.set(secret, prk);
  }
  nonce.copy(EXPAND_INPUT, INFO.length);
  return createHmac('sha256', prk).update(EXPAND_INPUT).digest();
}

// ---- compact claim encoding: ids of the form <prefix>_<ULID> and sha256 hex keys pack to their bytes ----

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const CROCKFORD_INDEX = new Int8Array(128).fill(-1);
for (let i = 0; i < 32; i++) CROCKFORD_INDEX[CROCKFORD.charCodeAt(i)] = i;
const ULID_ID = /^([a-z]{1,31})_([0-7][0-9A-HJKMNP-TV-Z]{25})$/;
const HEX64 = /^[0-9a-f]{64}$/;
const RAW_MAX_SHORT = 0xbf;
const TAG_ULID = 0xc0; // + prefix length (1..31)
const TAG_HEX64 = 0xfe;
const TAG_RAW_LONG = 0xff;

/** 26 Crockford characters whose first is 0-7 = 3 + 25 x 5 = 128 bits. */
function writeUlid(u: string, out: Buffer, at: number): void {
  let acc = CROCKFORD_INDEX[u.charCodeAt(0)];
  let bits = 3;
  for (let i = 1; i < 26; i++) {
    acc = (acc << 5) | CROCKFORD_INDEX[u.charCodeAt(i)];
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out[at++] = (acc >> bits) & 0xff;
      acc &= (1 << bits) - 1;
    }
  }
}

/** Reads 16 bytes as 26 Crockford characters, written into one scratch buffer and read out as one string. */
const ULID_TEXT = Buffer.alloc(26);
const CROCKFORD_CODES = Buffer.from(CROCKFORD, 'latin1');
function readUlid(b: Buffer, at: number): string {
  ULID_TEXT[0] = CROCKFORD_CODES[b[at] >> 5];
  let n = 1;
  let acc = b[at] & 31;
  let bits = 5;
  for (let i = 1; i < 16; i++) {
    acc = (acc << 8) | b[at + i];
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      ULID_TEXT[n++] = CROCKFORD_CODES[(acc >> bits) & 31];
    }
    acc &= (1 << bits) - 1;
  }
  return ULID_TEXT.toString('latin1', 0, 26);
}

class Writer {
  private buf = Buffer.alloc(1024);
  private at = 0;
  private room(n: number) {
    if (this.at + n > this.buf.length) throw new Error('image claims too long');
  }
  u8(v: number) {
    this.room(1);
    this.buf[this.at++] = v;
  }
  u16(v: number) {
    this.room(2);
    this.at = this.buf.writeUInt16BE(v, this.at);
  }
  u32(v: number) {
    this.room(4);
    this.at = this.buf.writeUInt32BE(v, this.at);
  }
  str(s: string) {
    const id = ULID_ID.exec(s);
    if (id) {
      this.room(1 + id[1].length + 16);
      this.buf[this.at++] = TAG_ULID + id[1].length;
      this.at += this.buf.write(id[1], this.at, 'latin1');
      writeUlid(id[2], this.buf, this.at);
      this.at += 16;
      return;
    }
    if (HEX64.test(s)) {
      this.room(33);
      this.buf[this.at++] = TAG_HEX64;
      this.at += this.buf.write(s, this.at, 'hex');
      return;
    }
    const len = Buffer.byteLength(s, 'utf8');
    this.room(3 + len);
    if (len <= RAW_MAX_SHORT) this.buf[this.at++] = len;
    else {
      this.buf[this.at++] = TAG_RAW_LONG;
      this.at = this.buf.writeUInt16BE(len, this.at);
    }
    this.at += this.buf.write(s, this.at, 'utf8');
  }
  done(): Buffer {
    return this.buf.subarray(0, this.at);
  }
}

/** Reads claims in place: positions into the one decrypted buffer, no sub-buffer per field (the redemption path). */
class Reader {
  private at = 0;
  constructor(private readonly b: Buffer) {}
  /** Claims the next n bytes; returns where they start. */
  private take(n: number): number {
    if (this.at + n > this.b.length) throw new Error('short');
    this.at += n;
    return this.at - n;
  }
  u8(): number {
    return this.b[this.take(1)];
  }
  u16(): number {
    return this.b.readUInt16BE(this.take(2));
  }
  u32(): number {
    return this.b.readUInt32BE(this.take(4));
  }
  str(): string {
    const t = this.u8();
    if (t <= RAW_MAX_SHORT) return this.text('utf8', t);
    if (t === TAG_HEX64) return this.text('hex', 32);
    if (t === TAG_RAW_LONG) return this.text('utf8', this.b.readUInt16BE(this.take(2)));
    if (t > TAG_ULID + 31) throw new Error('bad tag');
    const prefix = this.text('latin1', t - TAG_ULID);
    return `${prefix}_${readUlid(this.b, this.take(16))}`;
  }
  private text(encoding: 'utf8' | 'hex' | 'latin1', n: number): string {
    const at = this.take(n);
    return this.b.toString(encoding, at, at + n);
  }
  end(): boolean {
    return this.at === this.b.length;
  }
}

function enumIndex<T>(list: readonly T[], v: T): number {
  const i = list.indexOf(v);
  if (i < 0) throw new Error('image claim out of range');
  return i;
}

function encodeClaims(c: ImageClaims, version: number): Buffer {
  const w = new Writer();
  const ms = c.iat_ms - c.iat * 1000;
  if (!Number.isInteger(ms) || ms < 0 || ms > 999) throw new Error('image claim iat_ms outside iat');
  w.u32(c.iat);
  if (version === VERSION) w.u16(ms);
  w.u32(c.exp);
  w.u8(enumIndex(TIERS, c.tier));
  w.u8(enumIndex(VARIANTS, c.variant));
  w.u8(enumIndex(IMAGE_SIZES, c.size));
  w.u8(enumIndex(IMAGE_FORMATS, c.format));
  for (const s of [c.gid, c.rid, c.client_id, c.account_id, c.barcode, c.printed, c.ip, c.src ?? '']) w.str(s);
  return w.done();
}

function decodeClaims(plain: Buffer, version: number, nonce: string, kid: string): ImageClaims | null {
  try {
    const r = new Reader(plain);
    const iat = r.u32();
    const ms = version === VERSION ? r.u16() : 0;
    const exp = r.u32();
    if (ms > 999) return null;
    const tier = TIERS[r.u8()];
    const variant = VARIANTS[r.u8()];
    const size = IMAGE_SIZES[r.u8()];
    const format = IMAGE_FORMATS[r.u8()];
    const gid = r.str();
    const rid = r.str();
    const client_id = r.str();
    const account_id = r.str();
    const barcode = r.str();
    const printed = r.str();
    const ip = r.str();
    const src = r.str();
    if (!r.end() || !tier || !variant || !size || !format) return null;
    return {
      gid,
      rid,
      client_id,
      account_id,
      tier,
      barcode,
      printed,
      variant,
      size,
      format,
      ...(src ? { src } : {}),
      ip,
      iat,
      iat_ms: iat * 1000 + ms,
      exp,
      nonce,
      kid,
    };
  } catch {
    return null;
  }
}

function header(version: number, kid: string, nonce: Buffer): Buffer {
  const k = Buffer.from(kid, 'latin1');
  return Buffer.concat([Buffer.from([version, k.length]), k, nonce]);
}

/**
 * Seals the claims under `key` (its kid replaces claims.kid). claims.nonce must be 16 bytes in base64url.
 * `version: 1` writes the older seconds-only format (what URLs issued before the upgrade look like; tests).
 */
export function sealToken(claims: ImageClaims, key: KeyEntry, opts: { version?: 1 | 2 } = {}): string {
  const nonce = Buffer.from(claims.nonce, 'base64url');
  if (nonce.length !== NONCE_BYTES || !isCanonicalBase64url(claims.nonce)) {
    throw new Error('image token nonce must be 16 bytes');
  }
  const version = opts.version === 1 ? VERSION_SECONDS : VERSION;
  const head = header(version, key.kid, nonce);
  const cipher = createCipheriv('aes-256-gcm', tokenKey(key.secret, nonce), ZERO_IV, { authTagLength: TAG_BYTES });
  cipher.setAAD(head);
  const body = Buffer.concat([head, cipher.update(encodeClaims({ ...claims, kid: key.kid }, version)), cipher.final()]);
  return `${body.toString('base64url')}.${cipher.getAuthTag().toString('base64url')}`;
}

/**
 * Opens a token: form, canonical spelling, kid, then authenticated decryption (any changed byte fails).
 * Expiry, IP and redemption are the caller's next checks.
 */
export function openToken(token: string, keys: KeyEntry[]): VerifyResult {
  if (token.length > MAX_TOKEN_CHARS || !TOKEN_FORM.test(token)) return { ok: false, reason: 'malformed' };
  const dot = token.length - TAG_CHARS - 1;
  const bodyText = token.slice(0, dot);
  const body = Buffer.from(bodyText, 'base64url');
  const kidLen = body[1] ?? 0;
  const headLen = 2 + kidLen + NONCE_BYTES;
  const version = body[0];
  if ((version !== VERSION && version !== VERSION_SECONDS) || kidLen === 0 || body.length <= headLen)
    return { ok: false, reason: 'malformed' };
  // Another spelling of the same bytes is not a token we wrote (the form above checked the alphabet).
  if (!hasCanonicalTail(bodyText) || !hasCanonicalTail(token.slice(dot + 1)))
    return { ok: false, reason: 'bad_signature' };
  const kid = body.toString('latin1', 2, 2 + kidLen);
  const nonce = body.subarray(2 + kidLen, headLen);
  const key = keys.find((k) => k.kid === kid);
  let plain: Buffer;
  try {
    const k = tokenKey(key?.secret ?? UNKNOWN_KID_SECRET, nonce);
    const decipher = createDecipheriv('aes-256-gcm', k, ZERO_IV, { authTagLength: TAG_BYTES });
    decipher.setAAD(body.subarray(0, headLen));
    decipher.setAuthTag(Buffer.from(token.slice(dot + 1), 'base64url'));
    // GCM is a stream mode: update() returns all of the plaintext; final() only checks the tag (throws).
    plain = decipher.update(body.subarray(headLen));
    decipher.final();
  } catch {
    return { ok: false, reason: 'bad_signature' };
  }
  if (!key) return { ok: false, reason: 'bad_signature' };
  const claims = decodeClaims(plain, version, nonce.toString('base64url'), kid);
  return claims ? { ok: true, claims } : { ok: false, reason: 'malformed' };
}
