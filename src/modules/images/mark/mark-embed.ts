import { keyingFor, MARK_GRID } from './mark-keying.ts';
import { encodePayload, type MarkPayload } from './mark-payload.ts';
import { hasAlpha, lumaOf, type RawImage } from './mark-raster.ts';

export interface MarkKey {
  kid: string;
  secret: string;
}

const TARGET_MSE = 65025 / 10 ** (42 / 10);
const MAX_DELTA = 4;

/** 0…1: how much mark a pixel of this luma/alpha may carry. Identification recomputes it from the original. */
export function markAmplitude(luma: number, alpha: number): number {
  if (alpha === 0) return 0;
  const hi = (248 - luma) / 24;
  const lo = (luma - 8) / 24;
  let a = Math.min(hi, lo);
  if (a <= 0) return 0;
  if (a > 1) a = 1;
  return a * (alpha / 255);
}

/**
 * Per pixel column (or row): its cell and the window sin(π·f) of its position f inside the cell. The window
 * makes the pattern continuous (zero on every cell border, so no grid edges to see) and keeps cells
 * independent, so each cell's correlation reads one bit without interference from its neighbours.
 */
function axisCells(n: number): { cell: Int32Array; win: Float32Array } {
  const cell = new Int32Array(n);
  const win = new Float32Array(n);
  for (let x = 0; x < n; x++) {
    const g = ((x + 0.5) / n) * MARK_GRID;
    const c = Math.min(MARK_GRID - 1, Math.floor(g));
    cell[x] = c;
    win[x] = Math.sin(Math.PI * (g - c));
  }
  return { cell, win };
}

/** The ±1 value of every cell for this payload under this key. */
function cellValues(payload: MarkPayload, key: MarkKey): Float32Array {
  const bits = encodePayload(payload);
  const k = keyingFor(key.kid, key.secret);
  const v = new Float32Array(k.chip.length);
  for (let c = 0; c < v.length; c++) v[c] = k.chip[c] * bits[k.bitOf[c]];
  return v;
}

/** Marks raw pixels (a rendition, after resizing, before encoding). Returns a new image; the input is untouched. */
export function markRaw(raw: RawImage, payload: MarkPayload, key: MarkKey): RawImage {
  const copy = { ...raw, data: Buffer.from(raw.data) };
  markRawInPlace(copy, payload, key);
  return copy;
}

/**
 * Marks raw pixels in place. Two passes over the pixels, the pattern recomputed in the second rather than kept:
 * a plane of it would be 4 bytes a pixel (200 MB for a 49-megapixel original), the recomputation is a few
 * multiplications a pixel. Each pixel's pattern depends on that pixel's own (still unmarked) values only, so
 * writing as it goes is safe; the second pass rounds the pattern to 32-bit floats as a stored plane would, so
 * the result does not depend on which function made it.
 */
export function markRawInPlace(raw: RawImage, payload: MarkPayload, key: MarkKey): void {
  const { width, height, channels, data } = raw;
  const v = cellValues(payload, key);
  const cx = axisCells(width);
  const cy = axisCells(height);
  const alphaAt = hasAlpha(channels) ? channels - 1 : -1;
  const colours = channels >= 3 ? 3 : 1;
  const n = width * height;
  /** The unscaled pattern (amplitude × smooth ±1) at pixel (x, y); 0 where nothing may be marked. */
  const patternAt = (x: number, y: number): number => {
    const o = (y * width + x) * channels;
    const l = colours === 3 ? lumaOf(data[o], data[o + 1], data[o + 2]) : data[o];
    const amp = markAmplitude(l, alphaAt < 0 ? 255 : data[o + alphaAt]);
    if (amp === 0) return 0;
    return amp * (v[cy.cell[y] * MARK_GRID + cx.cell[x]] * cx.win[x] * cy.win[y]);
  };
  // Pass 1: the pattern's energy, which fixes δ.
  let energy = 0;
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const m = patternAt(x, y);
      energy += m * m;
    }
  if (energy === 0) return;
  const delta = Math.min(MAX_DELTA, Math.sqrt((TARGET_MSE * n) / energy));
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const m = Math.fround(patternAt(x, y));
      if (m === 0) continue;
      const add = m * delta;
      const o = (y * width + x) * channels;
      for (let c = 0; c < colours; c++) {
        const q = Math.round(data[o + c] + add);
        data[o + c] = q < 0 ? 0 : Math.min(q, 255);
      }
    }
}
