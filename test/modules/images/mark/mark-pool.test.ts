// The invisible mark runs in the worker pool, never on the event loop (docs/limits.md#image-size-limits): while a
// 20-megapixel rendition is marked the loop keeps ticking (its worst gap is well under the marking time, which on
// the event loop it would equal), and the pool's pixels are exactly what the mark function makes.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { markRaw } from '../../../../src/modules/images/mark/mark-embed.ts';
import { markInPool } from '../../../../src/modules/images/mark/mark-pool.ts';

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

describe('the mark worker pool', () => {
  it('marks exactly as markRaw does', async () => {
    const raw = { data: gradient(640, 480), width: 640, height: 480, channels: 4 };
    const direct = Buffer.from(markRaw(raw, payload, key).data);
    const pooled = await markInPool(raw, payload, key);
    expect(pooled.equals(direct)).toBe(true);
    expect(pooled.equals(raw.data)).toBe(false);
  }, 120_000);

  it('keeps the event loop answering while it marks 20 megapixels', async () => {
    const w = 5000;
    const h = 4000;
    const raw = { data: gradient(w, h), width: w, height: h, channels: 4 };
    let worst = 0;
    let last = performance.now();
    const tick = setInterval(() => {
      const now = performance.now();
      worst = Math.max(worst, now - last);
      last = now;
    }, 10);
    const t0 = performance.now();
    const out = await markInPool(raw, payload, key);
    const took = performance.now() - t0;
    clearInterval(tick);
    process.stdout.write(
      `[mark-pool] 20 Mpx marked in ${Math.round(took)} ms; worst loop gap ${Math.round(worst)} ms\n`,
    );
    expect(out.length).toBe(raw.data.length);
    // On the event loop the loop would stand still for the whole marking; in the pool it keeps ticking (on a quiet
    // machine the worst gap is the hand-over of the pixels; a loaded one stretches it, hence the wide margin).
    expect(worst).toBeLessThan(took / 2);
  }, 300_000);
});
