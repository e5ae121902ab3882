// Token parts must be spelled exactly as we encode them. Base64url has spare low bits in its last character,
// so several spellings decode to the same bytes (and some decoders, jose 6.2 among them, accept all of them);
// a token we did not write byte for byte is not ours. See docs/tokens-and-sessions.md#canonical-encoding
const ALPHABET = /^[A-Za-z0-9_-]+$/;
const SIX_BITS = new Int8Array(128).fill(-1);
for (const [i, ch] of [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'].entries())
  SIX_BITS[ch.charCodeAt(0)] = i;

/**
 * True when `seg` is non-empty, unpadded base64url and re-encodes to exactly itself, i.e.
 * `Buffer.from(seg, 'base64url').toString('base64url') === seg`, decided without decoding.
 */
export function isCanonicalBase64url(seg: string): boolean {
  return !!seg && ALPHABET.test(seg) && hasCanonicalTail(seg);
}

/**
 * For a non-empty string already known to be of the base64url alphabet: its length is possible (not 1 mod 4)
 * and the spare low bits of its last character (4 after 2 characters of a group, 2 after 3) are zero.
 */
export function hasCanonicalTail(seg: string): boolean {
  const rest = seg.length % 4;
  if (rest === 0) return true;
  if (rest === 1) return false;
  return (SIX_BITS[seg.charCodeAt(seg.length - 1)] & (rest === 2 ? 0x0f : 0x03)) === 0;
}
