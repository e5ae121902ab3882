// Pixel planes shared by marking and identification: decoding any stored or leaked file to raw pixels once,
// luma in floating point (the mark lives in luma), and bilinear sampling at sub-pixel positions (registration).
import sharp from 'sharp';

/** Interleaved 8-bit pixels as sharp's `.raw()` yields them; channels 1–4 (2 and 4 carry alpha last). */
export interface RawImage {
  data: Buffer | Uint8Array;
  width: number;
  height: number;
  channels: number;
}

export interface Plane {
  data: Float32Array;
  width: number;
  height: number;
}

export function hasAlpha(channels: number): boolean {
  return channels === 2 || channels === 4;
}

export async function decodeRaw(bytes: Buffer): Promise<RawImage> {
  const { data, info } = await sharp(bytes, { failOn: 'error' }).rotate().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: info.channels };
}

/**
 * Decodes to at most `long` pixels on the longer side (never enlarged), in libvips: the full-size pixels never
 * reach JavaScript, and a JPEG is shrunk while it loads. For work that only needs a small copy (the hashes).
 */
export async function decodeRawFitted(bytes: Buffer, long: number): Promise<RawImage> {
  const { data, info } = await sharp(bytes, { failOn: 'error', sequentialRead: true })
    .rotate()
    .resize(long, long, { fit: 'inside', withoutEnlargement: true, kernel: 'lanczos3' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: info.channels };
}

/**
 * RGB (3 channels) with any alpha composited over a flat background. Identification compares leaked copies,
 * which may have lost their alpha, on the same footing as the originals.
 */
export function flatten(img: RawImage, bg: number): RawImage {
  const { width, height, channels, data } = img;
  const n = width * height;
  const out = Buffer.alloc(n * 3);
  const colour = channels >= 3;
  const alpha = hasAlpha(channels);
  for (let i = 0; i < n; i++) {
    const o = i * channels;
    const r = data[o];
    const g = colour ? data[o + 1] : r;
    const b = colour ? data[o + 2] : r;
    if (alpha) {
      const a = data[o + channels - 1] / 255;
      out[i * 3] = Math.round(r * a + bg * (1 - a));
      out[i * 3 + 1] = Math.round(g * a + bg * (1 - a));
      out[i * 3 + 2] = Math.round(b * a + bg * (1 - a));
    } else {
      out[i * 3] = r;
      out[i * 3 + 1] = g;
      out[i * 3 + 2] = b;
    }
  }
  return { data: out, width, height, channels: 3 };
}

/** Resizes to exactly width×height (Lanczos, as the delivery pipeline and most attackers do). */
export async function resizeRaw(img: RawImage, width: number, height: number): Promise<RawImage> {
  if (img.width === width && img.height === height) return img;
  const { data, info } = await sharp(Buffer.from(img.data.buffer, img.data.byteOffset, img.data.byteLength), {
    raw: { width: img.width, height: img.height, channels: img.channels as 1 | 2 | 3 | 4 },
  })
    .resize(width, height, { fit: 'fill', kernel: 'lanczos3' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: info.channels };
}

/** Long side scaled to `long` (never up), aspect kept. */
export function fitLong(width: number, height: number, long: number): { width: number; height: number } {
  const s = Math.min(1, long / Math.max(width, height));
  return { width: Math.max(1, Math.round(width * s)), height: Math.max(1, Math.round(height * s)) };
}

export function lumaOf(r: number, g: number, b: number): number {
  return 0.299 * r + 0.587 * g + 0.114 * b;
}

export function lumaPlane(img: RawImage): Plane {
  const { width, height, channels, data } = img;
  const out = new Float32Array(width * height);
  const colour = channels >= 3;
  for (let i = 0, o = 0; i < out.length; i++, o += channels) {
    out[i] = colour ? lumaOf(data[o], data[o + 1], data[o + 2]) : data[o];
  }
  return { data: out, width, height };
}

/** Bilinear sample at pixel-centre coordinates (x = 0 is the centre of the first column), clamped at edges. */
export function sample(p: Plane, x: number, y: number): number {
  const w = p.width;
  const h = p.height;
  if (x < 0) x = 0;
  else if (x > w - 1) x = w - 1;
  if (y < 0) y = 0;
  else if (y > h - 1) y = h - 1;
  const x0 = Math.floor(x);
  const y0 = Math.floor(y);
  const x1 = x0 + 1 < w ? x0 + 1 : x0;
  const y1 = y0 + 1 < h ? y0 + 1 : y0;
  const fx = x - x0;
  const fy = y - y0;
  const d = p.data;
  const a = d[y0 * w + x0] + (d[y0 * w + x1] - d[y0 * w + x0]) * fx;
  const b = d[y1 * w + x0] + (d[y1 * w + x1] - d[y1 * w + x0]) * fx;
  return a + (b - a) * fy;
}
