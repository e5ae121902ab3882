// Non-blind detection: given the catalog original and a leaked copy, register the copy onto the original,
// subtract the original (after fitting the tone curve the copy went through), and correlate the residual with
// each payload bit's cells. Bits are decoded (not clients tried), so the cost does not depend on how many
// clients exist; each key of the ring is tried, which is how a rotated-out key still identifies old copies.
import sharp from 'sharp';
import { SIZE_PX } from '../../catalog/index.ts';
import { type MarkKey, markAmplitude } from './mark-embed.ts';
import { keyingFor, MARK_CELLS, MARK_GRID } from './mark-keying.ts';
import { type DecodedPayload, decodePayload, PAYLOAD_BITS } from './mark-payload.ts';
import { fitLong, flatten, hasAlpha, lumaOf, type Plane, type RawImage, resizeRaw, sample } from './mark-raster.ts';
import { type Registration, register } from './mark-register.ts';

/** Long side at which the residual is read; a leaked copy larger than this is scaled down first. */
const DETECT_LONG = 512;
/** Luma gradient at which a pixel's weight halves: edges carry registration error, not mark. */
const EDGE_GRADIENT = 6;
/** Residuals are clipped here: the mark is a few levels, anything larger is misregistration or damage. */
const RESIDUAL_CLIP = 10;
/** Colour bins per channel for the non-parametric part of the tone fit. */
const COLOUR_BINS = 8;
/** Below this the copy is not a view of this original. */
export const MIN_REGISTRATION_NCC = 0.8;
/**
 * Decision threshold on the mark score (a z-score of the summed bit correlations against pure noise).
 * Calibrated on unmarked and differently keyed images (see test/images/mark*.test.ts); together with the
 * CRC-16 this gives no false attribution in the tests' 1,000+ trials.
 */
const MIN_SCORE = 8;

export interface MarkReading extends DecodedPayload {
  kid: string;
  /** Probability, under the measured noise, that every payload bit was read right (0…1). */
  confidence: number;
  /** z-score of the bit correlations against the no-mark hypothesis. */
  score: number;
}

export interface Detection {
  registration: Registration;
  /** The mark, or null: nothing readable (unmarked, another key, or destroyed). */
  mark: MarkReading | null;
  /** Best score over the key ring, also when below the threshold (for diagnostics). */
  bestScore: number;
  /** RMS residual against this original (Infinity when it did not register). */
  residual: number;
}

function planeOf(img: RawImage, ch: number): Plane {
  const n = img.width * img.height;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = img.data[i * img.channels + ch];
  return { data: out, width: img.width, height: img.height };
}

function solve(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]]);
  for (let c = 0; c < n; c++) {
    let piv = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r][c]) > Math.abs(m[piv][c])) piv = r;
    [m[c], m[piv]] = [m[piv], m[c]];
    const d = m[c][c] || 1e-12;
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = m[r][c] / d;
      for (let k = c; k <= n; k++) m[r][k] -= f * m[c][k];
    }
  }
  return m.map((row, i) => row[n] / (row[i] || 1e-12));
}

// Standard normal CDF (Abramowitz–Stegun 7.1.26), enough for a confidence figure.
function phi(z: number): number {
  const t = 1 / (1 + (0.3275911 * Math.abs(z)) / Math.SQRT2);
  const y =
    1 -
    ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) *
      t *
      Math.exp(-(z * z) / 2);
  return z >= 0 ? (1 + y) / 2 : (1 - y) / 2;
}

/** Per-cell matched-filter sums of the residual and the energy each cell's template has in this copy.  @internal Exported for its tests. */
export interface CellReadout {
  corr: Float64Array;
  energy: Float64Array;
  /** RMS of the residual after the tone fit, over the whole copy: how well this original explains it. */
  residual: number;
}

/** Reads the residual of the leaked copy registered onto the original, cell by cell. */
/** A visible overlay some deliveries carry under the mark (the Free tier's watermark), as an SVG for a size. */
export type Overlay = (width: number, height: number) => Buffer;

/** A delivery's overlay: which SVG, composited at which rendition size (long side). */
interface OverlayAt {
  svg: Overlay;
  long: number;
}

/**
 * The original at the copy's scale. With an overlay, the delivery is re-enacted: the original at the
 * rendition size, the overlay composited there (RGBA, as media.render does), then scaled to the copy's size;
 * an overlay drawn directly at the copy's size would not line up (its font and spacing are rounded per size).
 */
async function referenceAt(original: RawImage, w: number, h: number, overlay?: OverlayAt): Promise<RawImage> {
  if (!overlay) return resizeRaw(original, w, h);
  const size = fitLong(original.width, original.height, overlay.long);
  const base = await resizeRaw(original, size.width, size.height);
  const { data, info } = await sharp(Buffer.from(base.data), {
    raw: { width: base.width, height: base.height, channels: base.channels as 1 | 2 | 3 | 4 },
  })
    .ensureAlpha()
    .composite([{ input: overlay.svg(base.width, base.height), top: 0, left: 0 }])
    .raw()
    .toBuffer({ resolveWithObject: true });
  return resizeRaw({ data, width: info.width, height: info.height, channels: info.channels }, w, h);
}

async function readCells(
  k: RawImage,
  original: RawImage,
  bg: number,
  reg: Registration,
  overlay?: OverlayAt,
): Promise<CellReadout> {
  const spanX = 1 - reg.left - reg.right;
  const spanY = 1 - reg.top - reg.bottom;
  const wR = Math.max(8, Math.round(k.width / spanX));
  const hR = Math.max(8, Math.round(k.height / spanY));
  const ref = await referenceAt(original, wR, hR, overlay);
  const flat = flatten(ref, bg);
  const [pr, pg, pb] = [0, 1, 2].map((c) => planeOf(flat, c));
  // Amplitude the embedder used, recomputed from the unmarked pixels (luma before flattening, and alpha).
  const amp = new Float32Array(wR * hR);
  const refLuma = new Float32Array(wR * hR);
  const aAt = hasAlpha(ref.channels) ? ref.channels - 1 : -1;
  for (let i = 0; i < amp.length; i++) {
    const o = i * ref.channels;
    const l = ref.channels >= 3 ? lumaOf(ref.data[o], ref.data[o + 1], ref.data[o + 2]) : ref.data[o];
    amp[i] = markAmplitude(l, aAt < 0 ? 255 : ref.data[o + aAt]);
    refLuma[i] = lumaOf(pr.data[i], pg.data[i], pb.data[i]);
  }
  const ampP: Plane = { data: amp, width: wR, height: hR };
  const grad = new Float32Array(wR * hR);
  for (let y = 0; y < hR; y++)
    for (let x = 0; x < wR; x++) {
      const gx = refLuma[y * wR + Math.min(wR - 1, x + 1)] - refLuma[y * wR + Math.max(0, x - 1)];
      const gy = refLuma[Math.min(hR - 1, y + 1) * wR + x] - refLuma[Math.max(0, y - 1) * wR + x];
      grad[y * wR + x] = Math.hypot(gx, gy) / 2;
    }
  const gradP: Plane = { data: grad, width: wR, height: hR };

  // Sample everything at the leaked pixels' positions in the reference.
  const n = k.width * k.height;
  const F = 13;
  const feats = new Float32Array(n * F);
  const target = new Float32Array(n);
  const tw = new Float32Array(n);
  const t = new Float32Array(n);
  const cellOf = new Int32Array(n);
  for (let y = 0; y < k.height; y++) {
    const v = reg.top + ((y + 0.5) / k.height) * spanY;
    const ry = v * hR - 0.5;
    const gy = v * MARK_GRID;
    const cy = Math.min(MARK_GRID - 1, Math.max(0, Math.floor(gy)));
    const wy = v >= 0 && v <= 1 ? Math.sin(Math.PI * (gy - cy)) : 0;
    for (let x = 0; x < k.width; x++) {
      const u = reg.left + ((x + 0.5) / k.width) * spanX;
      const rx = u * wR - 0.5;
      const i = y * k.width + x;
      const o = i * 3;
      target[i] = lumaOf(k.data[o], k.data[o + 1], k.data[o + 2]);
      const r = sample(pr, rx, ry) / 255,
        g = sample(pg, rx, ry) / 255,
        b = sample(pb, rx, ry) / 255;
      const f = i * F;
      feats[f] = 1;
      feats[f + 1] = r;
      feats[f + 2] = g;
      feats[f + 3] = b;
      feats[f + 4] = r * r;
      feats[f + 5] = g * g;
      feats[f + 6] = b * b;
      feats[f + 7] = r * g;
      feats[f + 8] = r * b;
      feats[f + 9] = g * b;
      feats[f + 10] = r * r * r;
      feats[f + 11] = g * g * g;
      feats[f + 12] = b * b * b;
      const e = sample(gradP, rx, ry) / EDGE_GRADIENT;
      const inside = u >= 0 && u <= 1 && v >= 0 && v <= 1 ? 1 : 0;
      tw[i] = inside / (1 + e * e);
      const gx = u * MARK_GRID;
      const cx = Math.min(MARK_GRID - 1, Math.max(0, Math.floor(gx)));
      cellOf[i] = cy * MARK_GRID + cx;
      // The template here: the embedder's amplitude times the cell window.
      t[i] = inside ? sample(ampP, rx, ry) * Math.sin(Math.PI * (gx - cx)) * wy : 0;
    }
  }
  // Tone curve the copy went through (gamma, brightness, saturation, colour profile): luma as a cubic
  // polynomial in the reference's RGB (with cross terms), fitted by weighted least squares.
  const ata = Array.from({ length: F }, () => new Array<number>(F).fill(0));
  const atb = new Array<number>(F).fill(0);
  for (let i = 0; i < n; i++) {
    const wt = tw[i];
    if (wt < 0.05) continue;
    const f = i * F;
    for (let a = 0; a < F; a++) {
      const fa = wt * feats[f + a];
      atb[a] += fa * target[i];
      for (let b = a; b < F; b++) ata[a][b] += fa * feats[f + b];
    }
  }
  for (let a = 0; a < F; a++) {
    for (let b = 0; b < a; b++) ata[a][b] = ata[b][a];
    ata[a][a] += 1e-6;
  }
  const coef = solve(ata, atb);

  // What a polynomial misses of an arbitrary colour map (a converter's LCh round trip clips some colours
  // hard): the mean leftover per colour bin of the reference, shrunk towards 0 for rare colours. The mark is
  // spatially random, so it averages out of any colour that spans several cells.
  const resid = new Float32Array(n);
  const binOf = new Int32Array(n);
  const binSum = new Float64Array(COLOUR_BINS ** 3);
  const binW = new Float64Array(COLOUR_BINS ** 3);
  for (let i = 0; i < n; i++) {
    const f = i * F;
    let pred = 0;
    for (let a = 0; a < F; a++) pred += coef[a] * feats[f + a];
    resid[i] = target[i] - pred;
    const q = (x: number) => Math.min(COLOUR_BINS - 1, Math.floor(x * COLOUR_BINS));
    const bin = (q(feats[f + 1]) * COLOUR_BINS + q(feats[f + 2])) * COLOUR_BINS + q(feats[f + 3]);
    binOf[i] = bin;
    if (tw[i] >= 0.05) {
      binSum[bin] += tw[i] * resid[i];
      binW[bin] += tw[i];
    }
  }
  const shrink = Math.max(20, n / 500);
  let se = 0,
    sw = 0;
  for (let i = 0; i < n; i++) {
    if (tw[i] < 0.05) continue;
    const bin = binOf[i];
    const d = Math.min(30, Math.abs(resid[i] - binSum[bin] / (binW[bin] + shrink)));
    se += tw[i] * d * d;
    sw += tw[i];
  }
  // Matched filter with the edge weight as inverse noise variance: corr = Σ tw·t·D, energy = Σ tw·t².
  const corr = new Float64Array(MARK_CELLS);
  const energy = new Float64Array(MARK_CELLS);
  for (let i = 0; i < n; i++) {
    const ti = t[i];
    if (ti === 0) continue;
    const bin = binOf[i];
    let d = resid[i] - binSum[bin] / (binW[bin] + shrink);
    if (d > RESIDUAL_CLIP) d = RESIDUAL_CLIP;
    else if (d < -RESIDUAL_CLIP) d = -RESIDUAL_CLIP;
    const a = tw[i] * ti;
    corr[cellOf[i]] += a * d;
    energy[cellOf[i]] += a * ti;
  }
  return { corr, energy, residual: sw > 0 ? Math.sqrt(se / sw) : 0 };
}

/**
 * Reads the payload under one key. Per bit, z = Σ chip·corr over its cells. The noise is measured, not
 * assumed: fit the decoded mark's gain, subtract it, and take the residual's power per unit of template
 * energy (pooled over all cells); each bit's z is then a z-score, and the sum of their magnitudes is scored
 * against what pure noise would give.
 * @internal Exported for its tests.
 */
export function readPayload(cells: CellReadout, key: MarkKey): { mark: MarkReading | null; score: number } {
  const { corr, energy } = cells;
  const k = keyingFor(key.kid, key.secret);
  const z = new Float64Array(PAYLOAD_BITS);
  const e = new Float64Array(PAYLOAD_BITS);
  for (let c = 0; c < MARK_CELLS; c++) {
    z[k.bitOf[c]] += k.chip[c] * corr[c];
    e[k.bitOf[c]] += energy[c];
  }
  let sumAbs = 0,
    sumE = 0;
  for (let b = 0; b < PAYLOAD_BITS; b++) {
    sumAbs += Math.abs(z[b]);
    sumE += e[b];
  }
  if (sumE <= 0) return { mark: null, score: 0 };
  const gain = sumAbs / sumE;
  let res = 0;
  for (let c = 0; c < MARK_CELLS; c++) {
    const b = k.bitOf[c];
    const r = corr[c] - gain * (z[b] >= 0 ? 1 : -1) * k.chip[c] * energy[c];
    res += r * r;
  }
  // Floor: an exact copy has no noise at all; pretend a quarter level of it.
  const s2 = Math.max(res / sumE, 0.0625);
  let sumT = 0,
    logConf = 0;
  for (let b = 0; b < PAYLOAD_BITS; b++) {
    const tb = e[b] > 0 ? Math.abs(z[b]) / Math.sqrt(s2 * e[b]) : 0;
    sumT += tb;
    logConf += Math.log(Math.max(1e-300, phi(tb)));
  }
  const nb = PAYLOAD_BITS;
  const score = (sumT - nb * Math.sqrt(2 / Math.PI)) / Math.sqrt(nb * (1 - 2 / Math.PI));
  const decoded = decodePayload(z);
  if (!decoded || score < MIN_SCORE) return { mark: null, score };
  return { mark: { ...decoded, kid: key.kid, confidence: Math.exp(logConf), score }, score };
}

/**
 * Registers `leaked` onto `original` and reads the residual cell by cell (key-independent); null cells when
 * the copy is not a view of this original.
 * @internal Exported for its tests.
 */
export async function readMarkCells(
  leaked: RawImage,
  original: RawImage,
  overlays: Overlay[] = [],
): Promise<{ registration: Registration; cells: CellReadout | null }> {
  const kFlat = flatten(leaked, 255);
  const size = fitLong(kFlat.width, kFlat.height, DETECT_LONG);
  const k = await resizeRaw(kFlat, size.width, size.height);
  // A cut-out that lost its alpha shows whatever lay under alpha 0 (black, usually): try both backgrounds.
  const bgs = hasAlpha(original.channels) && !hasAlpha(leaked.channels) ? [255, 0] : [255];
  let best: { reg: Registration; bg: number } | null = null;
  for (const bg of bgs) {
    const reg = await register(k, flatten(original, bg), DETECT_LONG);
    if (!best || reg.ncc > best.reg.ncc) best = { reg, bg };
  }
  const { reg, bg } = best!;
  if (reg.ncc < MIN_REGISTRATION_NCC) return { registration: reg, cells: null };
  // With overlays, the reading whose reference explains the copy best (smallest residual) is the one.
  let cells = await readCells(k, original, bg, reg);
  if (overlays.length > 0) {
    // The rendition sizes the copy may come from: the catalog sizes not smaller than the copy's view of the
    // original, and the original itself (renditions never enlarge).
    const origLong = Math.max(original.width, original.height);
    const seenLong = Math.max(k.width / (1 - reg.left - reg.right), k.height / (1 - reg.top - reg.bottom));
    const longs = [
      ...new Set(
        [...Object.values(SIZE_PX).filter((x): x is number => x !== null), origLong].map((x) => Math.min(x, origLong)),
      ),
    ].filter((x) => x >= seenLong * 0.95);
    for (const svg of overlays)
      for (const long of longs) {
        const c = await readCells(k, original, bg, reg, { svg, long });
        if (c.residual < cells.residual) cells = c;
      }
  }
  return { registration: reg, cells };
}

/** Reads the mark of `leaked` against its catalog `original` (both decoded), trying every key of the ring. */
export async function detectMark(
  leaked: RawImage,
  original: RawImage,
  keys: MarkKey[],
  overlays: Overlay[] = [],
): Promise<Detection> {
  const { registration, cells } = await readMarkCells(leaked, original, overlays);
  if (!cells) return { registration, mark: null, bestScore: 0, residual: Infinity };
  let found: MarkReading | null = null;
  let bestScore = -Infinity;
  for (const key of keys) {
    const r = readPayload(cells, key);
    bestScore = Math.max(bestScore, r.score);
    if (r.mark && (!found || r.mark.score > found.score)) found = r.mark;
  }
  return { registration, mark: found, bestScore, residual: cells.residual };
}
