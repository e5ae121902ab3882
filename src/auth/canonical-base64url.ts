// Token parts must be spelled exactly as we encode them. Base64url has spare low bits in its last character,
// so several spellings decode to the same bytes (and some decoders, jose 6.2 among them, accept all of them);
// a token we did not write byte for byte is not ours. See docs/tokens-and-sessions.md#canonical-encoding
const ALPHABET = /^[A-Za-z0-9_-]+$/;

/** True when `seg` is non-empty, unpadded base64url and re-encodes to exactly itself. */
export function isCanonicalBase64url(seg: string): boolean {
  if (!seg || !ALPHABET.test(seg) || seg.length % 4 === 1) return false;
  return Buffer.from(seg, 'base64url').toString('base64url') === seg;
}
