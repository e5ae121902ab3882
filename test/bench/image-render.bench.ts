// Time to render each derivative size x format from a 1000x1000 studio-like JPEG master (median of 5, ms),
// through the same media module as delivery. Run: node --import tsx test/bench/image-render.bench.ts

import { IMAGE_FORMATS, IMAGE_SIZES, SIZE_PX } from '../../src/modules/catalog/image-spec.ts';
import { normalizeUpload, render, syntheticImage } from '../../src/modules/images/media.ts';
import { watermarkSvg } from '../../src/modules/images/watermark.ts';

const master = (await normalizeUpload(await syntheticImage(1000, 1000, 'jpeg'), 'jpeg')).bytes;
const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const rows: string[] = [];
for (const wm of [false, true]) {
  for (const size of IMAGE_SIZES) {
    const cells: string[] = [];
    for (const f of IMAGE_FORMATS) {
      const format = f === 'original' ? 'jpeg' : f;
      const times: number[] = [];
      let bytes = 0;
      for (let i = 0; i < 5; i++) {
        const t0 = performance.now();
        const out = await render(master, {
          maxSide: SIZE_PX[size],
          format,
          overlay: wm ? (w, h) => watermarkSvg(w, h) : undefined,
        });
        times.push(performance.now() - t0);
        bytes = out.length;
      }
      cells.push(`${median(times).toFixed(1)} ms (${(bytes / 1024).toFixed(0)} KB)`);
    }
    rows.push(`| ${size}${wm ? ' +watermark' : ''} | ${cells.join(' | ')} |`);
  }
}
process.stdout.write(
  `| size \\ format | ${IMAGE_FORMATS.join(' | ')} |\n|---|${IMAGE_FORMATS.map(() => '---').join('|')}|\n${rows.join('\n')}\n`,
);
