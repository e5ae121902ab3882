// docs/tokens-and-sessions.md#canonical-encoding: the spelling check decides without decoding; it must agree with
// the definition (decode, re-encode, compare) on every string, canonical or not.
import { randomBytes, randomInt } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isCanonicalBase64url } from '../../../src/modules/auth/canonical-base64url.ts';

const byDefinition = (s: string) =>
  s.length > 0 && /^[A-Za-z0-9_-]+$/.test(s) && Buffer.from(s, 'base64url').toString('base64url') === s;
const A = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

describe('isCanonicalBase64url', () => {
  it('agrees with decode-and-re-encode on encodings, re-spellings of their last character and junk', () => {
    const cases = ['', '=', 'A', 'AA', 'AB', 'AAA', 'AAB', 'AAAA', 'AQ==', 'AQ', 'a+b/', 'ab.c', 'ü'];
    for (let n = 1; n <= 40; n++) {
      const s = randomBytes(n).toString('base64url');
      cases.push(s, `${s}=`, `${s}A`);
      for (const ch of A) cases.push(s.slice(0, -1) + ch);
    }
    for (let i = 0; i < 2000; i++)
      cases.push(Array.from({ length: randomInt(1, 12) }, () => `${A}+/=.`[randomInt(0, 68)]).join(''));
    for (const s of cases) expect(isCanonicalBase64url(s), JSON.stringify(s)).toBe(byDefinition(s));
  });
});
