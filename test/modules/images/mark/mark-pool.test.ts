// A marked rendition is rendered in the worker pool, never on the event loop (docs/limits.md#image-size-limits):
// while a 20-megapixel original is decoded, marked and encoded the loop keeps ticking (its worst gap is well under
// the render time, which on the event loop it would about equal), and the pool's bytes are exactly what the
// in-process render with the mark stage makes.
import { randomBytes } from 'node:crypto';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { markRaw } from '../../../../src/modules/images/mark/mark-embed.ts';
import { renderMarkedInPool } from '../../../../src/modules/images/mark/mark-pool.ts';
import { render } from '../../../../src/modules/images/media.ts';
import { watermarkSvg } from '../../../../src/modules/images/watermark.ts';

const key = { kid: 'm1', secret: randomBytes(32).toString('base64url') };
const payload = { clientNumber: 0x5a5a5 };

/** A smooth mid-grey gradient (every pixel markable), RGBA. */
function gradient(width: number, height: number): Buffer {
  const b = Buffer.alloc(width * height * 4);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 4;
      b[o] = (60 + (x * 120) / width) | 0;
      b[o + 1] = (60 + (y * 120) / height) | 0;
      b[o + 2] = 128;
      b[o + 3] = 255;
    }
  return b;
}

const rawPng = (width: number, height: number) =>
  sharp(gradient(width, height), { raw: { width, height, channels: 4 } })
    .png({ compressionLevel: 1 })
    .toBuffer();

describe('the mark worker pool', () => {
  it('renders exactly as the in-process render with the mark stage does, watermark or not', async () => {
    const source = await rawPng(640, 480);
    for (const spec of [
      { maxSide: null, format: 'png' as const, watermark: false },
      { maxSide: 400, format: 'jpeg' as const, watermark: true },
    ]) {
      const direct = await render(source, {
        maxSide: spec.maxSide,
        format: spec.format,
        overlay: spec.watermark ? (w, h) => watermarkSvg(w, h) : undefined,
        pixels: (raw) => markRaw(raw, payload, key).data as Buffer,
      });
      const plain = await render(source, { maxSide: spec.maxSide, format: spec.format });
      const pooled = await renderMarkedInPool(source, spec, payload, key);
      expect(pooled.equals(direct)).toBe(true);
      expect(pooled.equals(plain)).toBe(false);
    }
  }, 120_000);

  it('keeps the event loop answering while it renders a marked 20-megapixel original', async () => {
    const w = 5000;
    const h = 4000;
    const source = await rawPng(w, h);
    let worst = 0;
    let last = performance.now();
    const tick = setInterval(() => {
      const now = performance.now();
      worst = Math.max(worst, now - last);
      last = now;
    }, 10);
    const t0 = performance.now();
    const out = await renderMarkedInPool(source, { maxSide: null, format: 'jpeg', watermark: false }, payload, key);
    const took = performance.now() - t0;
    clearInterval(tick);
    process.stdout.write(
      `[mark-pool] 20 Mpx rendered and marked in ${Math.round(took)} ms; worst loop gap ${Math.round(worst)} ms\n`,
    );
    const m = await sharp(out).metadata();
    expect([m.format, m.width, m.height]).toEqual(['jpeg', w, h]);
    // On the event loop the loop would stand still for the whole marking; in the pool it keeps ticking (a loaded
    // machine stretches the gaps, hence the wide margin).
    expect(worst).toBeLessThan(took / 2);
  }, 300_000);
});
