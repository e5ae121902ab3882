// The one place in src/modules/images that talks to sharp (libvips). Process-wide settings are applied once here:
// libvips threads per image (the machine has few cores and requests render in parallel), libvips' own
// operation cache off (we cache finished renditions ourselves), and the input pixel cap against
// decompression bombs on every decode.
import sharp, { type Metadata, type OutputInfo } from 'sharp';
import { readExifDateTimeOriginal } from './exif-date.ts';

/** Largest accepted input: 50 megapixels (a studio shot is ~1–25 MP). A decompression bomb is refused before decoding. */
const MAX_INPUT_PIXELS = 50_000_000;

let configured = false;
/**
 * Applies the process-wide sharp settings (idempotent). Called by the composition root and the CLIs that
 * render or ingest: importing this module changes nothing, so a test or script gets sharp's defaults unless
 * it asks for ours.
 */
export function configureMedia(opts: { concurrency?: number } = {}): void {
  if (configured) return;
  configured = true;
  sharp.concurrency(opts.concurrency ?? 1);
  sharp.cache(false);
}

export type SourceFormat = 'jpeg' | 'png';
export type OutputFormat = 'jpeg' | 'png' | 'webp' | 'avif';

export class MediaError extends Error {
  constructor(
    readonly kind: 'too_many_pixels' | 'undecodable' | 'no_alpha',
    message: string,
  ) {
    super(message);
  }
}

/**
 * Above this many pixels a JPEG is written without optimised Huffman tables: optimising them keeps every DCT
 * coefficient of the image in memory until the end (580 MB for a 49-megapixel 4:4:4 master), plain tables stream.
 * Every delivered size but `original` is far below it; a big original grows by some percent instead.
 */
const OPTIMISED_JPEG_MAX_PIXELS = 4_000_000;

// Sequential reads: libvips streams the decode through the pipeline in strips instead of holding the whole
// decoded image (about 200 MB for 49 megapixels) when the operations allow it.
const decode = (bytes: Buffer) =>
  sharp(bytes, { failOn: 'error', limitInputPixels: MAX_INPUT_PIXELS, sequentialRead: true });

/** Up to this many pixels the transparency check reads every alpha value; above, a box-shrunk copy. */
const ALPHA_CHECK_MAX_PIXELS = 4_000_000;

/**
 * Whether the image has transparency. Reads only the alpha plane (one byte a pixel, at most 4 MB) and compares it
 * a megabyte at a time against opaque in native code (sharp's stats() held the whole decoded image). A bigger
 * image is box-shrunk to that size first, in libvips: a pixel of alpha up to ~220 (transparent, not just a
 * softened edge) anywhere still pulls its block's average below opaque.
 */
async function hasTransparency(bytes: Buffer, m: Metadata): Promise<boolean> {
  if (!m.hasAlpha) return false;
  const w = m.width!;
  const h = m.height!;
  let img = decode(bytes);
  if (w * h > ALPHA_CHECK_MAX_PIXELS) {
    const k = Math.ceil(Math.sqrt((w * h) / ALPHA_CHECK_MAX_PIXELS));
    img = img.resize(Math.ceil(w / k), Math.ceil(h / k), { fit: 'fill', kernel: 'linear' });
  }
  const alpha = await img.extractChannel('alpha').raw().toBuffer();
  const opaque = Buffer.alloc(Math.min(alpha.length, 1 << 20), 255);
  for (let i = 0; i < alpha.length; i += opaque.length) {
    const part = alpha.subarray(i, i + opaque.length);
    if (!part.equals(opaque.subarray(0, part.length))) return true;
  }
  return false;
}

export interface Probe {
  format: string;
  width: number;
  height: number;
  photoDate: string | null;
}

/** Reads the header only (cheap): format, size, EXIF date. Refuses a pixel count over the cap before any decode. */
export async function probe(bytes: Buffer): Promise<Probe> {
  let m: Metadata;
  try {
    m = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch {
    throw new MediaError('undecodable', 'The image header cannot be read.');
  }
  if (!m.width || !m.height) throw new MediaError('undecodable', 'The image has no dimensions.');
  if (m.width * m.height > MAX_INPUT_PIXELS) {
    throw new MediaError(
      'too_many_pixels',
      `The image has ${m.width}x${m.height} pixels; at most ${MAX_INPUT_PIXELS} are accepted.`,
    );
  }
  return {
    format: m.format ?? 'unknown',
    width: m.width,
    height: m.height,
    photoDate: m.exif ? readExifDateTimeOriginal(m.exif) : null,
  };
}

export interface Normalized {
  bytes: Buffer;
  format: SourceFormat;
  width: number;
  height: number;
}

/**
 * The stored master of an upload: fully decoded (so a truncated file fails here), turned upright by its EXIF
 * orientation, converted to sRGB with an sRGB profile tag (so viewers do not guess), every other metadata
 * (EXIF, GPS, XMP) dropped. `jpeg`: flattened on white. `png`: keeps alpha, and must actually have transparency.
 */
export async function normalizeUpload(bytes: Buffer, target: SourceFormat): Promise<Normalized> {
  try {
    const m = await decode(bytes).metadata();
    let img = decode(bytes).rotate().toColourspace('srgb').withIccProfile('srgb');
    if (target === 'png') {
      if (!(await hasTransparency(bytes, m)))
        throw new MediaError('no_alpha', 'A *_clean variant must be a PNG with a transparent background.');
      img = img.ensureAlpha().png({ compressionLevel: 9, adaptiveFiltering: true });
    } else {
      img = img.flatten({ background: '#ffffff' }).jpeg({
        quality: 90,
        chromaSubsampling: '4:4:4',
        optimiseCoding: m.width! * m.height! <= OPTIMISED_JPEG_MAX_PIXELS,
      });
    }
    const { data, info } = await img.toBuffer({ resolveWithObject: true });
    return { bytes: data, format: target, width: info.width, height: info.height };
  } catch (e) {
    if (e instanceof MediaError) throw e;
    if (/pixel limit/i.test((e as Error).message))
      throw new MediaError('too_many_pixels', 'The image has too many pixels.');
    throw new MediaError('undecodable', 'The image data is corrupt or truncated.');
  }
}

export interface RenderSpec {
  /** Longest side in px; null keeps the size (never enlarges). */
  maxSide: number | null;
  format: OutputFormat;
  /** An SVG composited over the whole image (the Free tier's visible watermark), sized to the output. */
  overlay?: (width: number, height: number) => Buffer;
  /**
   * Per-client pixel stage (the invisible client mark plugs in here): receives the final pixels (RGB, or RGBA
   * when the master has alpha) before encoding and returns pixels of the same shape (it may change and return the buffer it was given).
   */
  pixels?: (raw: { data: Buffer; width: number; height: number; channels: number }) => Buffer | Promise<Buffer>;
}

const rawShape = (info: { width: number; height: number; channels: number }) => ({
  width: info.width,
  height: info.height,
  channels: info.channels as 1 | 2 | 3 | 4,
});

const QUALITY = { jpeg: 85, webp: 82, avif: 55 } as const;

/** Renders one output from a stored master. Decodes once; every step happens in one libvips pipeline. */
export async function render(source: Buffer, spec: RenderSpec): Promise<Buffer> {
  let img = decode(source);
  if (spec.maxSide) img = img.resize(spec.maxSide, spec.maxSide, { fit: 'inside', withoutEnlargement: true });
  if (spec.overlay || spec.pixels) {
    // Materialise the resized pixels so overlay/mark see the exact output geometry. Three channels for a master
    // without alpha (a JPEG): a quarter less memory than RGBA, the same marked pixels.
    let { data, info }: { data: Buffer; info: OutputInfo } = await img.raw().toBuffer({ resolveWithObject: true });
    if (spec.overlay) {
      ({ data, info } = await sharp(data, { raw: rawShape(info) })
        .composite([{ input: spec.overlay(info.width, info.height), top: 0, left: 0 }])
        .raw()
        .toBuffer({ resolveWithObject: true }));
    }
    // The pixel stage gets the only copy of the pixels (another copy of a 49-megapixel original would be 150 to
    // 200 MB more) and may change it in place.
    if (spec.pixels)
      data = await spec.pixels({ data, width: info.width, height: info.height, channels: info.channels });
    img = sharp(data, { raw: rawShape(info) });
  }
  switch (spec.format) {
    case 'jpeg': {
      const m = await decode(source).metadata();
      const s = spec.maxSide ? Math.min(1, spec.maxSide / Math.max(m.width!, m.height!)) : 1;
      const optimiseCoding = m.width! * s * m.height! * s <= OPTIMISED_JPEG_MAX_PIXELS;
      return img.flatten({ background: '#ffffff' }).jpeg({ quality: QUALITY.jpeg, optimiseCoding }).toBuffer();
    }
    case 'png':
      return img.png({ compressionLevel: 6 }).toBuffer();
    case 'webp':
      return img.webp({ quality: QUALITY.webp }).toBuffer();
    case 'avif':
      return img.avif({ quality: QUALITY.avif, effort: 2 }).toBuffer();
  }
}

/** Generates a test or demo picture (used by tests and benchmarks; not on any request path).  @internal Exported for its tests. */
export async function syntheticImage(
  width: number,
  height: number,
  format: SourceFormat,
  alpha = false,
): Promise<Buffer> {
  const svg = Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
    <rect width="100%" height="100%" fill="${alpha ? 'none' : '#ffffff'}"/>
    <circle cx="${width / 2}" cy="${height / 2}" r="${Math.min(width, height) / 3}" fill="#2a6fb0"/>
    <rect x="${width / 10}" y="${height / 10}" width="${width / 4}" height="${height / 5}" fill="#d04020"/></svg>`);
  const img = sharp(svg);
  return format === 'png'
    ? img.png().toBuffer()
    : img.flatten({ background: '#ffffff' }).jpeg({ quality: 90 }).toBuffer();
}
