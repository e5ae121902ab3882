// Registration: where in the original does a leaked copy sit? The attacks in scope are re-scaling (any size,
// aspect possibly changed) and cropping up to ~10 % off each edge, so the model is four edge fractions:
// leaked pixel centre (x + 0.5)/w maps to original u = left + (x + 0.5)/w · (1 − left − right), likewise v.
// Coarse to fine: per-axis guesses from 1-D luma profiles at 64 px, then a pattern search on ever larger levels,
// each maximising the normalised cross-correlation of luma.
import { fitLong, lumaPlane, type Plane, type RawImage, resizeRaw, sample } from './mark-raster.ts';

export interface Registration {
  left: number;
  right: number;
  top: number;
  bottom: number;
  /** Normalised cross-correlation at the solution (1 = identical up to gain and offset). */
  ncc: number;
}

type Params = [number, number, number, number];

const MIN_CROP = -0.02;
const MAX_CROP = 0.14;

/** NCC of the leaked plane against the reference sampled at the mapped positions (every `stride`-th pixel). */
function nccAt(k: Plane, r: Plane, p: Params, stride = 1): number {
  const [l, rr, t, b] = p;
  const sx = (1 - l - rr) / k.width;
  const sy = (1 - t - b) / k.height;
  let n = 0,
    sa = 0,
    sb = 0,
    saa = 0,
    sbb = 0,
    sab = 0;
  for (let y = 0; y < k.height; y += stride) {
    const ry = (t + (y + 0.5) * sy) * r.height - 0.5;
    const rowOff = y * k.width;
    for (let x = 0; x < k.width; x += stride) {
      const a = k.data[rowOff + x];
      const bv = sample(r, (l + (x + 0.5) * sx) * r.width - 0.5, ry);
      n++;
      sa += a;
      sb += bv;
      saa += a * a;
      sbb += bv * bv;
      sab += a * bv;
    }
  }
  const va = saa - (sa * sa) / n;
  const vb = sbb - (sb * sb) / n;
  if (va <= 1e-9 || vb <= 1e-9) return 0;
  return (sab - (sa * sb) / n) / Math.sqrt(va * vb);
}

async function level(leaked: RawImage, reference: RawImage, long: number): Promise<{ k: Plane; r: Plane }> {
  const ks = fitLong(leaked.width, leaked.height, long);
  // The reference covers up to ~1/0.8 of what the leaked copy shows: give it proportionally more pixels.
  const rs = fitLong(reference.width, reference.height, Math.round(long * 1.15));
  const [k, r] = await Promise.all([resizeRaw(leaked, ks.width, ks.height), resizeRaw(reference, rs.width, rs.height)]);
  return { k: lumaPlane(k), r: lumaPlane(r) };
}

function patternSearch(
  k: Plane,
  r: Plane,
  start: Params,
  step: number,
  minStep: number,
  stride: number,
): { p: Params; ncc: number } {
  let p = start.slice() as Params;
  let best = nccAt(k, r, p, stride);
  while (step >= minStep) {
    let improved = false;
    for (let i = 0; i < 4; i++) {
      for (const d of [step, -step]) {
        const q = p.slice() as Params;
        q[i] = Math.min(MAX_CROP + 0.02, Math.max(MIN_CROP - 0.02, q[i] + d));
        const s = nccAt(k, r, q, stride);
        if (s > best + 1e-7) {
          best = s;
          p = q;
          improved = true;
        }
      }
    }
    if (!improved) step /= 2;
  }
  return { p, ncc: best };
}

/**
 * Finds the crop of `reference` (the original, flattened) that `leaked` (flattened) shows.
 * `detLong`: the long side of the leaked plane used at the finest level.
 */
/** Mean of each column (axis 0) or row (axis 1): the 1-D signature used to guess the crop per axis. */
function profile(p: Plane, axis: 0 | 1): Float32Array {
  const n = axis === 0 ? p.width : p.height;
  const out = new Float32Array(n);
  for (let y = 0; y < p.height; y++)
    for (let x = 0; x < p.width; x++) out[axis === 0 ? x : y] += p.data[y * p.width + x];
  return out;
}

/** Best (start, end) crop fractions of one axis by NCC of the 1-D profiles; the `keep` best pairs. */
function axisCandidates(k: Float32Array, r: Float32Array, keep: number): [number, number][] {
  const rp: Plane = { data: r, width: r.length, height: 1 };
  const kp: Plane = { data: k, width: k.length, height: 1 };
  const out: { a: number; b: number; s: number }[] = [];
  for (let a = MIN_CROP; a <= MAX_CROP + 1e-9; a += 0.005) {
    for (let b = MIN_CROP; b <= MAX_CROP + 1e-9; b += 0.005) out.push({ a, b, s: nccAt(kp, rp, [a, b, 0, 0]) });
  }
  out.sort((x, y) => y.s - x.s);
  const picked: [number, number][] = [];
  for (const c of out) {
    // Distinct guesses only: neighbours of a peak are the same guess.
    if (picked.every(([a, b]) => Math.abs(a - c.a) + Math.abs(b - c.b) > 0.02)) picked.push([c.a, c.b]);
    if (picked.length === keep) break;
  }
  return picked;
}

/**
 * Finds the crop of `reference` (the original, flattened) that `leaked` (flattened) shows.
 * `detLong`: the long side of the leaked plane used at the finest level.
 */
export async function register(leaked: RawImage, reference: RawImage, detLong = 512): Promise<Registration> {
  const mid = await level(leaked, reference, 64);
  const xs = axisCandidates(profile(mid.k, 0), profile(mid.r, 0), 3);
  const ys = axisCandidates(profile(mid.k, 1), profile(mid.r, 1), 3);
  const scored: { p: Params; s: number }[] = [];
  for (const [l, rr] of xs)
    for (const [t, b] of ys) {
      const p: Params = [l, rr, t, b];
      scored.push({ p, s: nccAt(mid.k, mid.r, p, 2) });
    }
  scored.sort((a, b) => b.s - a.s);

  const cands = scored.slice(0, 3).map((c) => patternSearch(mid.k, mid.r, c.p, 0.01, 0.003, 1));
  cands.sort((a, b) => b.ncc - a.ncc);
  let cur = cands[0];
  const finest = Math.max(64, Math.min(detLong, Math.max(leaked.width, leaked.height)));
  for (let long = 128; ; long *= 2) {
    const L = Math.min(long, finest);
    const lv = await level(leaked, reference, L);
    const px = 1 / L;
    cur = patternSearch(lv.k, lv.r, cur.p, 2 * px, L === finest ? 0.1 * px : 0.5 * px, L > 256 ? 2 : 1);
    if (L === finest) break;
  }
  const [left, right, top, bottom] = cur.p;
  return { left, right, top, bottom, ncc: cur.ncc };
}

/** The plane minus its 3×3 box blur: edges and print detail, without the silhouette and the tone. */
function highPass(p: Plane): Plane {
  const { width: w, height: h, data } = p;
  const out = new Float32Array(w * h);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      let s = 0;
      for (let dy = -1; dy <= 1; dy++)
        for (let dx = -1; dx <= 1; dx++) {
          s += data[Math.min(h - 1, Math.max(0, y + dy)) * w + Math.min(w - 1, Math.max(0, x + dx))];
        }
      out[y * w + x] = data[y * w + x] - s / 9;
    }
  return { data: out, width: w, height: h };
}

/**
 * How well the fine detail agrees once registered (NCC of high-passed luma at `long` px). Silhouettes on white
 * make different products look alike at coarse scale; printed detail does not.
 */
export async function detailSimilarity(
  leaked: RawImage,
  reference: RawImage,
  reg: Registration,
  long = 256,
): Promise<number> {
  const ks = fitLong(leaked.width, leaked.height, long);
  const spanX = 1 - reg.left - reg.right;
  const spanY = 1 - reg.top - reg.bottom;
  // Reference at the copy's scale, so both high-pass filters see the same frequencies.
  const rw = Math.max(8, Math.round(ks.width / spanX));
  const rh = Math.max(8, Math.round(ks.height / spanY));
  const [k, r] = await Promise.all([resizeRaw(leaked, ks.width, ks.height), resizeRaw(reference, rw, rh)]);
  return nccAt(highPass(lumaPlane(k)), highPass(lumaPlane(r)), [reg.left, reg.right, reg.top, reg.bottom]);
}
