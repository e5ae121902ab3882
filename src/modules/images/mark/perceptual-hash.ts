// Which catalog image is this? A 64-bit DCT perceptual hash (pHash) of luma, twice per image: of the whole
// frame, and of the content box (the frame trimmed of its studio-white margin, which is what survives a crop
// of the margins). Low DCT frequencies against their median survive re-scaling, re-compression and tone
// shifts; a crop into the product moves a few bits. The index only proposes candidates: identification
// confirms one by registering the copy onto it (mark-register.ts).
import { fitLong, flatten, lumaPlane, type Plane, type RawImage, resizeRaw } from './mark-raster.ts';

export interface ImageHashes {
  /** 16 hex digits each. */
  frame: string;
  content: string;
}

const N = 32;
const K = 8;
const COS = (() => {
  const t = new Float64Array(N * N);
  for (let u = 0; u < N; u++)
    for (let x = 0; x < N; x++) t[u * N + x] = Math.cos(((2 * x + 1) * u * Math.PI) / (2 * N));
  return t;
})();

/** pHash of an N×N luma block: the K×K lowest DCT frequencies (DC excluded, one more taken) against their median. */
function phashOf(block: Float32Array): bigint {
  // Separable DCT-II: rows first, then the K lowest frequencies of columns.
  const rows = new Float64Array(N * K);
  for (let y = 0; y < N; y++)
    for (let u = 0; u < K; u++) {
      let s = 0;
      for (let x = 0; x < N; x++) s += block[y * N + x] * COS[u * N + x];
      rows[y * K + u] = s;
    }
  const coef: number[] = [];
  for (let v = 0; v < K; v++)
    for (let u = 0; u < K; u++) {
      let s = 0;
      for (let y = 0; y < N; y++) s += rows[y * K + u] * COS[v * N + y];
      coef.push(s);
    }
  const ac = coef.slice(1);
  ac.push(coef[1] + coef[K]); // 64th bit: a mixed low frequency, keeps the hash a full 64 bits
  const sorted = [...ac].sort((a, b) => a - b);
  const median = (sorted[31] + sorted[32]) / 2;
  let h = 0n;
  for (const c of ac) h = (h << 1n) | (c > median ? 1n : 0n);
  return h;
}

/**
 * Bounding box of the pixels that differ from the background (the median of the border: studio white, or
 * black where a cut-out lost its alpha); the whole frame when there are none.
 */
function contentBox(p: Plane): { left: number; top: number; width: number; height: number } {
  const border: number[] = [];
  for (let x = 0; x < p.width; x++) border.push(p.data[x], p.data[(p.height - 1) * p.width + x]);
  for (let y = 0; y < p.height; y++) border.push(p.data[y * p.width], p.data[y * p.width + p.width - 1]);
  border.sort((a, b) => a - b);
  const bg = border[border.length >> 1];
  let x0 = p.width,
    y0 = p.height,
    x1 = -1,
    y1 = -1;
  for (let y = 0; y < p.height; y++)
    for (let x = 0; x < p.width; x++) {
      if (Math.abs(p.data[y * p.width + x] - bg) > 15) {
        if (x < x0) x0 = x;
        if (x > x1) x1 = x;
        if (y < y0) y0 = y;
        if (y > y1) y1 = y;
      }
    }
  if (x1 < 0 || x1 - x0 < 4 || y1 - y0 < 4) return { left: 0, top: 0, width: p.width, height: p.height };
  return { left: x0, top: y0, width: x1 - x0 + 1, height: y1 - y0 + 1 };
}

async function blockOf(img: RawImage): Promise<Float32Array> {
  return lumaPlane(await resizeRaw(img, N, N)).data;
}

function crop(img: RawImage, box: { left: number; top: number; width: number; height: number }): RawImage {
  const out = Buffer.alloc(box.width * box.height * img.channels);
  for (let y = 0; y < box.height; y++) {
    const from = ((box.top + y) * img.width + box.left) * img.channels;
    out.set(img.data.subarray(from, from + box.width * img.channels), y * box.width * img.channels);
  }
  return { data: out, width: box.width, height: box.height, channels: img.channels };
}

const hex = (h: bigint) => h.toString(16).padStart(16, '0');

/**
 * Longest side of what the hashes are computed from. A larger image is first scaled down to it in libvips (off
 * the event loop): the hash sees 32×32 anyway, and flattening 49 megapixels in JavaScript held a node's event
 * loop for over a second. Decode a stored master with `decodeRawFitted(bytes, HASH_INPUT_LONG)`.
 */
export const HASH_INPUT_LONG = 1024;

/** Hashes of a decoded image, any alpha composited on `bg` (white: as cut-outs are shown). */
export async function perceptualHashes(img: RawImage, bg = 255): Promise<ImageHashes> {
  if (Math.max(img.width, img.height) > HASH_INPUT_LONG) {
    const f = fitLong(img.width, img.height, HASH_INPUT_LONG);
    img = await resizeRaw(img, f.width, f.height);
  }
  const flat = flatten(img, bg);
  // Work on a ≤256 px copy: the hash only sees 32×32, and the content box only needs to be close.
  const s = fitLong(flat.width, flat.height, 256);
  const small = await resizeRaw(flat, s.width, s.height);
  const box = contentBox(lumaPlane(small));
  const [frame, content] = await Promise.all([blockOf(small), blockOf(crop(small, box))]);
  return { frame: hex(phashOf(frame)), content: hex(phashOf(content)) };
}

function popcount32(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/**
 * In-memory index of image hashes. Lookup is a linear scan of packed 32-bit words with popcount: ~4 word
 * pairs per image, so 100,000 images take a few milliseconds; nothing here grows with the number of clients.
 */
export class PerceptualIndex<Ref> {
  private refs: Ref[] = [];
  private words = new Uint32Array(0);
  private readonly keyOf: (r: Ref) => string;
  private readonly slot = new Map<string, number>();

  constructor(keyOf: (r: Ref) => string) {
    this.keyOf = keyOf;
  }

  get size(): number {
    return this.slot.size;
  }

  /** Adds or replaces the hashes of one image. */
  set(ref: Ref, h: ImageHashes): void {
    const key = this.keyOf(ref);
    let i = this.slot.get(key);
    if (i === undefined) {
      i = this.refs.length;
      this.refs.push(ref);
      this.slot.set(key, i);
      if (this.words.length < (i + 1) * 4) {
        const grown = new Uint32Array(Math.max(64, this.words.length * 2));
        grown.set(this.words);
        this.words = grown;
      }
    }
    this.refs[i] = ref;
    this.words.set(
      [
        parseInt(h.frame.slice(0, 8), 16),
        parseInt(h.frame.slice(8), 16),
        parseInt(h.content.slice(0, 8), 16),
        parseInt(h.content.slice(8), 16),
      ],
      i * 4,
    );
  }

  /** The `k` nearest images by the smallest Hamming distance over frame/content hash pairs. */
  nearest(h: ImageHashes, k: number): { ref: Ref; distance: number }[] {
    const q = [
      parseInt(h.frame.slice(0, 8), 16),
      parseInt(h.frame.slice(8), 16),
      parseInt(h.content.slice(0, 8), 16),
      parseInt(h.content.slice(8), 16),
    ];
    const out: { ref: Ref; distance: number }[] = [];
    const w = this.words;
    for (let i = 0; i < this.refs.length; i++) {
      const o = i * 4;
      let best = 64;
      for (let a = 0; a < 2; a++)
        for (let b = 0; b < 2; b++) {
          const d = popcount32((q[a * 2] ^ w[o + b * 2]) >>> 0) + popcount32((q[a * 2 + 1] ^ w[o + b * 2 + 1]) >>> 0);
          if (d < best) best = d;
        }
      out.push({ ref: this.refs[i], distance: best });
    }
    out.sort((x, y) => x.distance - y.distance);
    return out.slice(0, k);
  }
}
