// A thread of the mark pool (mark-pool.ts): applies the invisible client mark to raw pixels off the event loop.
// Pure: pixels, payload and key in; marked pixels out.
import { parentPort } from 'node:worker_threads';
import { type MarkKey, markRaw } from './mark-embed.ts';
import type { MarkPayload } from './mark-payload.ts';
import type { RawImage } from './mark-raster.ts';

interface Job {
  id: number;
  raw: RawImage;
  payload: MarkPayload;
  key: MarkKey;
}

parentPort?.on('message', (job: Job) => {
  try {
    const raw = {
      ...job.raw,
      data: Buffer.from(job.raw.data.buffer, job.raw.data.byteOffset, job.raw.data.byteLength),
    };
    const out = markRaw(raw, job.payload, job.key).data;
    const whole = out.byteOffset === 0 && out.byteLength === out.buffer.byteLength;
    // Handed over, not copied, when the result owns its whole memory (it does for any real image).
    parentPort?.postMessage({ id: job.id, data: out }, whole ? [out.buffer as ArrayBuffer] : []);
  } catch (e) {
    parentPort?.postMessage({ id: job.id, error: e instanceof Error ? e.message : String(e) });
  }
});
