// ULIDs (48-bit ms time + 80 random bits, Crockford base32) for request, grant, token, account and client ids.
// The `ulid` package draws each random character with its own getRandomValues call; on the image path (one id
// per request plus one per signed URL) that was ~5% of CPU. Here the randomness comes from the process's
// random pool (random-pool.ts).
import { randomPool } from './random-pool.ts';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
/** A standard ULID (sortable by creation millisecond; decodable by any ULID library). */
export function newUlid(now = Date.now()): string {
  let time = '';
  for (let i = 0, t = now; i < 10; i++, t = Math.floor(t / 32)) time = ALPHABET[t % 32] + time;
  const r = randomPool.take(10);
  let rand = '';
  // 80 bits -> 16 characters of 5 bits.
  let acc = 0;
  let bits = 0;
  for (const byte of r) {
    acc = (acc << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      rand += ALPHABET[(acc >> bits) & 31];
    }
    acc &= (1 << bits) - 1;
  }
  return time + rand;
}
