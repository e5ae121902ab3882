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
  const { width, height, channels, data } = raw;
  const v = cellValues(payload, key);
  const cx = axisCells(width);
  const cy = axisCells(height);
  const alphaAt = hasAlpha(channels) ? channels - 1 : -1;
  const colours = channels >= 3 ? 3 : 1;
  const n = width * height;
  // Pass 1: the unscaled pattern (amplitude × smooth ±1) and its energy, which fixes δ.
  const pattern = new Float32Array(n);
  let energy = 0;
  for (let y = 0; y < height; y++) {
    const rowBase = cy.cell[y] * MARK_GRID;
    const wy = cy.win[y];
    for (let x = 0; x < width; x++) {
      const p = y * width + x;
      const o = p * channels;
      const l = colours === 3 ? lumaOf(data[o], data[o + 1], data[o + 2]) : data[o];
      const amp = markAmplitude(l, alphaAt < 0 ? 255 : data[o + alphaAt]);
      if (amp === 0) continue;
      const s = v[rowBase + cx.cell[x]] * cx.win[x] * wy;
      const m = amp * s;
      pattern[p] = m;
      energy += m * m;
    }
  }
  const out = Buffer.from(data);
  if (energy === 0) return { data: out, width, height, channels };
  const delta = Math.min(MAX_DELTA, Math.sqrt((TARGET_MSE * n) / energy));
  for (let p = 0; p < n; p++) {
    const m = pattern[p];
    if (m === 0) continue;
    const add = m * delta;
    const o = p * channels;
    for (let c = 0; c < colours; c++) {
      const q = Math.round(data[o + c] + add);
      out[o + c] = q < 0 ? 0 : Math.min(q, 255);
    }
  }
  return { data: out, width, height, channels };
}
