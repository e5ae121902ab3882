// A thread of the mark pool (mark-pool.ts): renders one marked rendition off the event loop. The encoded master
// in, the encoded rendition out; decoding, resizing, the optional visible watermark, the invisible client mark
// (in place, on the only copy of the pixels) and encoding all happen here.
import { parentPort } from 'node:worker_threads';
import { type OutputFormat, render } from '../media.ts';
import { watermarkSvg } from '../watermark.ts';
import { type MarkKey, markRawInPlace } from './mark-embed.ts';
import type { MarkPayload } from './mark-payload.ts';

export interface MarkedRenderJob {
  source: Uint8Array;
  spec: { maxSide: number | null; format: OutputFormat; watermark: boolean };
  payload: MarkPayload;
  key: MarkKey;
}

/**
 * A job whose pixels exceed this ends its thread when done (mark-pool.ts `retire`): 16 megapixels are 64 MB of
 * pixels, more than any delivered size but a big `original`.
 */
const RETIRE_ABOVE_PIXELS = 16_000_000;

parentPort?.on('message', async (job: MarkedRenderJob & { id: number }) => {
  let pixels = 0;
  try {
    const source = Buffer.from(job.source.buffer, job.source.byteOffset, job.source.byteLength);
    const out = await render(source, {
      maxSide: job.spec.maxSide,
      format: job.spec.format,
      overlay: job.spec.watermark ? (w, h) => watermarkSvg(w, h) : undefined,
      pixels: (raw) => {
        pixels = raw.width * raw.height;
        markRawInPlace(raw, job.payload, job.key);
        return raw.data as Buffer;
      },
    });
    // Copied into memory of its own (sharp's output buffer belongs to libvips), then handed over, not cloned.
    const data = new Uint8Array(out);
    parentPort?.postMessage({ id: job.id, data, retire: pixels > RETIRE_ABOVE_PIXELS }, [data.buffer]);
  } catch (e) {
    const error = e instanceof Error ? e.message : String(e);
    parentPort?.postMessage({ id: job.id, error, retire: pixels > RETIRE_ABOVE_PIXELS });
  }
});
