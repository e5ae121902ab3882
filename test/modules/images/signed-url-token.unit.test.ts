// Pure rules of the sealed image URL token (docs/tokens-and-sessions.md#image-url-tokens): exact round trip of
// every claim shape the issuer may produce, and refusal of other keys and other spellings.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { newUlid } from '../../../src/kernel/ids.ts';
import { type ImageClaims, openToken, sealToken } from '../../../src/modules/images/signed-url-token.ts';

const key = { kid: 'u1', secret: randomBytes(32).toString('base64url') };
const claims = (over: Partial<ImageClaims> = {}): ImageClaims => ({
  gid: `grt_${newUlid()}`,
  rid: `req_${newUlid()}`,
  client_id: `cl_${newUlid()}`,
  account_id: `acct_${newUlid()}`,
  tier: 'free',
  barcode: '00017000161563',
  printed: '017000161563',
  variant: 'back_clean',
  size: 'thumb',
  format: 'avif',
  ip: '203.0.113.9',
  iat: 1_800_000_000,
  iat_ms: 1_800_000_000_123,
  exp: 1_800_000_900,
  nonce: randomBytes(16).toString('base64url'),
  kid: key.kid,
  ...over,
});

describe('sealed image token', () => {
  it('round-trips every claim exactly, whatever the shape of ids, keys and addresses', () => {
    const shapes: Partial<ImageClaims>[] = [
      {},
      { src: randomBytes(32).toString('hex') },
      { src: `marked-${'x'.repeat(180)}`, ip: '2001:db8:abcd:12:3456:789a:bcde:f012' },
      { rid: 'req_test_1234', gid: 'grt_OTHER', client_id: 'cl_lowercase_01jz', account_id: 'acct_ünïcode' },
      { ip: '::ffff:10.0.0.1', client_id: `cl_${newUlid()}`.toLowerCase(), rid: '', tier: 'enterprise' },
      { variant: 'front', size: 'original', format: 'original' },
      { client_id: `cl_${'7ZZZZZZZZZZZZZZZZZZZZZZZZZ'}`, gid: `grt_${'00000000000000000000000000'}` },
    ];
    for (const s of shapes) {
      const c = claims(s);
      const r = openToken(sealToken(c, key), [key]);
      expect(r).toEqual({ ok: true, claims: c });
    }
  });

  it('opens with any key of the ring, refuses other keys and other spellings of the same bytes', () => {
    const other = { kid: 'u2', secret: randomBytes(32).toString('base64url') };
    const t = sealToken(claims(), key);
    expect(openToken(t, [other, key]).ok).toBe(true);
    expect(openToken(t, [other])).toEqual({ ok: false, reason: 'bad_signature' });
    expect(openToken(t, [{ kid: key.kid, secret: other.secret }])).toEqual({ ok: false, reason: 'bad_signature' });
    const [body, tag] = t.split('.');
    const A = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const respelled = `${body}.${tag.slice(0, -1)}${A[A.indexOf(tag.at(-1)!) ^ 1]}`;
    expect(Buffer.from(respelled.split('.')[1], 'base64url').equals(Buffer.from(tag, 'base64url'))).toBe(true);
    expect(openToken(respelled, [key])).toEqual({ ok: false, reason: 'bad_signature' });
    const malformed = ['', 'x', `${body}`, `${body}.${tag}.x`, `${body}.${tag}A`, `AQ.${tag}`];
    malformed.push(`${body}.${tag.slice(1)}`);
    for (const bad of malformed) {
      expect(openToken(bad, [key])).toEqual({ ok: false, reason: 'malformed' });
    }
  });

  it('carries the issue time to the millisecond, and still opens version 1 (seconds) tokens', () => {
    for (const ms of [0, 1, 999]) {
      const c = claims({ iat_ms: 1_800_000_000_000 + ms });
      expect(openToken(sealToken(c, key), [key])).toEqual({ ok: true, claims: c });
    }
    const c1 = claims();
    const v1 = sealToken(c1, key, { version: 1 });
    expect(Buffer.from(v1.split('.')[0], 'base64url')[0]).toBe(1);
    // A seconds-only token's issue time is the start of its second: never later than it really was.
    expect(openToken(v1, [key])).toEqual({ ok: true, claims: { ...c1, iat_ms: 1_800_000_000_000 } });
    expect(() => sealToken(claims({ iat_ms: 1_800_000_001_000 }), key)).toThrow();
  });

  it('refuses a nonce that is not 16 bytes', () => {
    expect(() => sealToken(claims({ nonce: 'short' }), key)).toThrow();
  });
});
