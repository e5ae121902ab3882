// The secret layout of the mark. A G×G grid of cells spans every image in normalised coordinates (so every
// rendition size carries the same mark); each cell carries one payload bit times a key-seeded ±1 chip, and
// the cells are dealt to the bits in a key-seeded order so every bit is spread over the whole picture (a crop
// or a busy corner costs each bit a few cells, never a whole bit). Without the key the pattern is noise.
import { createHmac } from 'node:crypto';
import { PAYLOAD_BITS } from './mark-payload.ts';

/** Cells per side. 32 keeps a cell ≥ 6 px even on a 200 px thumbnail and survives a 400 px re-scale. */
export const MARK_GRID = 32;
export const MARK_CELLS = MARK_GRID * MARK_GRID;

export interface MarkKeying {
  kid: string;
  /** ±1 per cell. */
  chip: Int8Array;
  /** Payload bit index per cell. */
  bitOf: Uint16Array;
}

const cache = new Map<string, MarkKeying>();

/** Deterministic byte stream: HMAC-SHA-256(secret, label|counter). */
function stream(secret: string, label: string, bytes: number): Buffer {
  const parts: Buffer[] = [];
  for (let i = 0, have = 0; have < bytes; i++) {
    const b = createHmac('sha256', secret).update(`kc-mark-v1|${label}|${i}`).digest();
    parts.push(b);
    have += b.length;
  }
  return Buffer.concat(parts).subarray(0, bytes);
}

function chips(secret: string, label: string, n: number): Int8Array {
  const s = stream(secret, label, Math.ceil(n / 8));
  const out = new Int8Array(n);
  for (let i = 0; i < n; i++) out[i] = (s[i >> 3] >> (i & 7)) & 1 ? 1 : -1;
  return out;
}

export function keyingFor(kid: string, secret: string): MarkKeying {
  const id = `${kid}\u0000${secret}`;
  const hit = cache.get(id);
  if (hit) return hit;
  // Fisher–Yates over the cells, then bits dealt round-robin: every bit gets the same number of cells.
  const order = Array.from({ length: MARK_CELLS }, (_, i) => i);
  const rnd = stream(secret, 'order', MARK_CELLS * 4);
  for (let i = MARK_CELLS - 1; i > 0; i--) {
    const j = rnd.readUInt32LE(i * 4) % (i + 1);
    [order[i], order[j]] = [order[j], order[i]];
  }
  const bitOf = new Uint16Array(MARK_CELLS);
  order.forEach((cell, k) => {
    bitOf[cell] = k % PAYLOAD_BITS;
  });
  const keying: MarkKeying = {
    kid,
    chip: chips(secret, 'chip', MARK_CELLS),
    bitOf,
  };
  if (cache.size > 32) cache.clear();
  cache.set(id, keying);
  return keying;
}
