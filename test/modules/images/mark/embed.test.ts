// The invisible mark is invisible: PSNR ≥ 40 dB against the unmarked rendition at every size and format of
// the real delivery pipeline (media.render with the ClientMarker hook), the studio white and transparent
// pixels untouched, the alpha channel bit-exact; and what marking costs on the delivery path is printed (a
// number, not an assertion: wall-clock speed depends on how busy the machine is and is the benchmarks' job).
import { beforeAll, describe, expect, it } from 'vitest';
import { createClientMarker } from '../../../../src/modules/images/mark/mark-client-marker.ts';
import { markRaw } from '../../../../src/modules/images/mark/mark-embed.ts';
import { markNumberOf } from '../../../../src/modules/images/mark/mark-payload.ts';
import { decodeRaw, lumaOf, type RawImage } from '../../../../src/modules/images/mark/mark-raster.ts';
import { type OutputFormat, render } from '../../../../src/modules/images/media.ts';
import { type ProductShot, productShot } from '../../../helpers/mark-fixtures.ts';

const key = { kid: 'm1', secret: 'mark-test-secret-0123456789abcdefghijklmnop' };
const viewer = { clientId: 'cli_embed_test_1', tier: 'standard' as const, grantId: 'grt_1' };
const marker = createClientMarker(key);

function psnr(a: RawImage, b: RawImage, channels = 3): number {
  let se = 0,
    n = 0;
  for (let p = 0; p < a.width * a.height; p++)
    for (let c = 0; c < channels; c++) {
      const d = a.data[p * a.channels + c] - b.data[p * b.channels + c];
      se += d * d;
      n++;
    }
  return se === 0 ? Infinity : 10 * Math.log10((255 * 255) / (se / n));
}

let shots: ProductShot[];
beforeAll(async () => {
  shots = await Promise.all([productShot(101), productShot(102, 1000, 750), productShot(103, 800, 1000)]);
});

describe('mark invisibility', () => {
  const sizes: (number | null)[] = [200, 400, 800, 1200, null];
  const formats: OutputFormat[] = ['jpeg', 'png', 'webp', 'avif'];

  it('keeps PSNR ≥ 40 dB against the unmarked rendition for every size and format (JPEG masters)', async () => {
    const seen: string[] = [];
    for (const [i, shot] of shots.entries()) {
      for (const maxSide of sizes)
        for (const format of formats) {
          if (i > 0 && format === 'avif' && maxSide !== 400) continue; // AVIF encodes are slow; one size per extra shot
          const plain = await decodeRaw(await render(shot.jpeg, { maxSide, format }));
          const marked = await decodeRaw(await render(shot.jpeg, { maxSide, format, pixels: marker.pixels(viewer) }));
          expect(marked.width).toBe(plain.width);
          const db = psnr(plain, marked);
          seen.push(`${i}:${maxSide ?? 'orig'}:${format}=${db.toFixed(1)}`);
          expect(db, `shot ${i} ${maxSide} ${format}`).toBeGreaterThanOrEqual(40);
          expect(db).toBeLessThan(80); // and a mark is actually there
        }
    }
    console.log(`[mark] PSNR after encoding (shot:size:format=dB): ${seen.join(' ')}`);
  }, 240_000); // ~5 s on a quiet 2-core machine (AVIF encodes dominate)

  it('keeps PSNR ≥ 40 dB on the raw pixels too (before any encoder noise)', async () => {
    for (const shot of shots) {
      const raw = await decodeRaw(shot.jpeg);
      const marked = markRaw(raw, { clientNumber: markNumberOf(viewer.clientId) }, key);
      const db = psnr(raw, marked);
      expect(db).toBeGreaterThanOrEqual(40);
      expect(db).toBeLessThan(70);
    }
  });

  it('leaves studio-white pixels exactly as they were, and encoded flat white within ±1 level', async () => {
    const raw = await decodeRaw(shots[0].png);
    const marked = markRaw(raw, { clientNumber: 7 }, key);
    let white = 0,
      changed = 0;
    for (let p = 0; p < raw.width * raw.height; p++) {
      const o = p * 3;
      if (lumaOf(raw.data[o], raw.data[o + 1], raw.data[o + 2]) >= 248) {
        white++;
        if (
          raw.data[o] !== marked.data[o] ||
          raw.data[o + 1] !== marked.data[o + 1] ||
          raw.data[o + 2] !== marked.data[o + 2]
        )
          changed++;
      }
    }
    expect(white).toBeGreaterThan(raw.width * raw.height * 0.2);
    expect(changed).toBe(0);
    // Through the JPEG encoder: flat white areas stay within one level. A 32×32 block counts as flat when an
    // 8 px ring around it is white too (the decoder's chroma upsampling reaches one MCU across borders).
    const plain = await decodeRaw(await render(shots[0].jpeg, { maxSide: null, format: 'jpeg' }));
    const enc = await decodeRaw(
      await render(shots[0].jpeg, { maxSide: null, format: 'jpeg', pixels: marker.pixels(viewer) }),
    );
    let flat = 0,
      worst = 0;
    for (let by = 8; by + 40 <= raw.height; by += 32)
      for (let bx = 8; bx + 40 <= raw.width; bx += 32) {
        let allWhite = true;
        for (let y = by - 8; y < by + 40 && allWhite; y++)
          for (let x = bx - 8; x < bx + 40; x++) {
            const o = (y * raw.width + x) * 3;
            if (lumaOf(raw.data[o], raw.data[o + 1], raw.data[o + 2]) < 248) {
              allWhite = false;
              break;
            }
          }
        if (!allWhite) continue;
        flat++;
        for (let y = by; y < by + 32; y++)
          for (let x = bx; x < bx + 32; x++)
            for (let c = 0; c < 3; c++) {
              const o = (y * raw.width + x) * 3 + c;
              worst = Math.max(worst, Math.abs(plain.data[o] - enc.data[o]));
            }
      }
    expect(flat).toBeGreaterThan(100);
    expect(worst).toBeLessThanOrEqual(1);
  });

  it('keeps the alpha channel of PNG cut-outs bit-exact and transparent pixels untouched', async () => {
    for (const maxSide of [null, 400]) {
      const plain = await decodeRaw(await render(shots[0].cutout, { maxSide, format: 'png' }));
      const marked = await decodeRaw(
        await render(shots[0].cutout, { maxSide, format: 'png', pixels: marker.pixels(viewer) }),
      );
      expect(plain.channels).toBe(4);
      expect(marked.channels).toBe(4);
      let transparent = 0,
        diffs = 0,
        alphaDiffs = 0;
      for (let p = 0; p < plain.width * plain.height; p++) {
        const o = p * 4;
        if (marked.data[o + 3] !== plain.data[o + 3]) alphaDiffs++;
        if (plain.data[o + 3] === 0) {
          transparent++;
          if (
            marked.data[o] !== plain.data[o] ||
            marked.data[o + 1] !== plain.data[o + 1] ||
            marked.data[o + 2] !== plain.data[o + 2]
          )
            diffs++;
        }
      }
      expect(alphaDiffs).toBe(0);
      expect(transparent).toBeGreaterThan(plain.width * plain.height * 0.2);
      expect(diffs).toBe(0);
      expect(psnr(plain, marked)).toBeGreaterThanOrEqual(40);
      expect(psnr(plain, marked)).toBeLessThan(80);
    }
  });

  it('names the cached rendition per client (no secret in the name), and marks differently per client', async () => {
    const a = marker.keyPart(viewer);
    expect(a).toMatch(/^mk-m1-[0-9a-z]+$/);
    expect(marker.keyPart({ ...viewer, grantId: 'grt_2' })).toBe(a);
    expect(marker.keyPart({ ...viewer, clientId: 'cli_embed_test_2' })).not.toBe(a);
    expect(a).not.toContain(key.secret.slice(0, 8));
    const withGrant = createClientMarker(key, { withGrant: true });
    expect(withGrant.keyPart(viewer)).not.toBe(withGrant.keyPart({ ...viewer, grantId: 'grt_2' }));
    const raw = await decodeRaw(shots[1].jpeg);
    const m1 = markRaw(raw, { clientNumber: 1 }, key);
    const m2 = markRaw(raw, { clientNumber: 2 }, key);
    expect(Buffer.compare(Buffer.from(m1.data), Buffer.from(m2.data))).not.toBe(0);
  });

  it('prints what marking a 1000×1000 rendition costs (JPEG and PNG output)', async () => {
    const timings: string[] = [];
    for (const format of ['jpeg', 'png'] as const) {
      const med = async (withMark: boolean) => {
        const t: number[] = [];
        for (let i = 0; i < 5; i++) {
          const s = performance.now();
          await render(shots[0].jpeg, { maxSide: null, format, pixels: withMark ? marker.pixels(viewer) : undefined });
          t.push(performance.now() - s);
        }
        return t.sort((x, y) => x - y)[2];
      };
      const plain = await med(false);
      const marked = await med(true);
      timings.push(`${format}: render ${plain.toFixed(0)} ms, render+mark ${marked.toFixed(0)} ms`);
    }
    const raw = await decodeRaw(shots[0].jpeg);
    const t: number[] = [];
    for (let i = 0; i < 5; i++) {
      const s = performance.now();
      markRaw(raw, { clientNumber: 5 }, key);
      t.push(performance.now() - s);
    }
    timings.push(`markRaw alone ${t.sort((x, y) => x - y)[2].toFixed(1)} ms`);
    console.log(`[mark] 1000x1000 timings (median of 5): ${timings.join('; ')}`);
  }, 120_000);
});
