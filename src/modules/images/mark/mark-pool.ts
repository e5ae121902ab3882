// A marked rendition is rendered whole in a bounded pool of worker threads (node:worker_threads), never on the
// event loop: marking is seconds of arithmetic over every pixel, during which a node on the main thread would
// answer nothing else, health checks included (docs/limits.md#image-size-limits). The thread gets the encoded
// master and gives back the encoded rendition, so the decoded pixels (200 MB for a 49-megapixel original) exist
// once, in the thread, and never cross threads. Sized from the core count, one core left to the event loop and
// libvips; jobs beyond the threads wait in order.

import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { MarkKey } from './mark-embed.ts';
import type { MarkPayload } from './mark-payload.ts';
import type { MarkedRenderJob } from './mark-worker.ts';

/** Threads: one per core but one, at least 1, at most 4. */
const markPoolSize = () => Math.max(1, Math.min(4, os.availableParallelism() - 1));

interface Pending {
  resolve: (b: Buffer) => void;
  reject: (e: Error) => void;
}
interface Job {
  work: MarkedRenderJob;
  done: Pending;
}

// The worker is this folder's mark-worker with this module's own extension: .ts from source (loaded through
// tsx, which the thread is told to import), .js once built.
const here = fileURLToPath(import.meta.url);
const ext = path.extname(here);
const workerFile = path.join(path.dirname(here), `mark-worker${ext}`);

/**
 * From source, the thread registers tsx's loader first, then imports the worker (Node 20 does not apply an
 * inherited `--import tsx` to a worker's own entry file).
 */
function tsWorker(): Worker {
  // The package's ESM entry (require.resolve finds its CommonJS twin beside it).
  const tsx = pathToFileURL(
    createRequire(import.meta.url)
      .resolve('tsx/esm/api')
      .replace(/\.cjs$/, '.mjs'),
  ).href;
  const entry = pathToFileURL(workerFile).href;
  const boot = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); })`;
  return new Worker(boot, { eval: true, execArgv: [] });
}

class MarkPool {
  private readonly idle: Worker[] = [];
  private readonly queue: Job[] = [];
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private started = 0;

  constructor(private readonly size: number) {}

  run(work: MarkedRenderJob): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      this.queue.push({ work, done: { resolve, reject } });
      this.pump();
    });
  }

  private pump(): void {
    while (this.queue.length) {
      const w = this.idle.pop() ?? (this.started < this.size ? this.spawn() : null);
      if (!w) return;
      const job = this.queue.shift()!;
      const id = this.nextId++;
      this.pending.set(id, job.done);
      (w as Worker & { jobId?: number }).jobId = id;
      // The encoded master is copied over (megabytes, not the hundreds a decoded original takes).
      w.postMessage({ id, ...job.work });
    }
  }

  private spawn(): Worker {
    this.started++;
    const w = ext === '.ts' ? tsWorker() : new Worker(workerFile);
    // Idle threads never keep the process alive.
    w.unref();
    w.on('message', (m: { id: number; data?: Uint8Array; error?: string; retire?: boolean }) => {
      const p = this.pending.get(m.id);
      this.pending.delete(m.id);
      (w as Worker & { jobId?: number }).jobId = undefined;
      if (m.retire) this.retire(w);
      else this.idle.push(w);
      if (m.error !== undefined || !m.data) p?.reject(new Error(`mark worker: ${m.error ?? 'no rendition'}`));
      else p?.resolve(Buffer.from(m.data.buffer, m.data.byteOffset, m.data.byteLength));
      this.pump();
    });
    w.on('error', (e) => this.lost(w, e));
    w.on('exit', (code) => this.lost(w, new Error(`mark worker exited with ${code}`)));
    return w;
  }

  /**
   * A thread that held a big image's pixels is ended: its memory returns now, not at the thread's next garbage
   * collection, which an idle thread may not have for a long time (a second big job would stack on the first).
   * A new thread is started on demand.
   */
  private retire(w: Worker): void {
    w.removeAllListeners();
    this.started = Math.max(0, this.started - 1);
    void w.terminate();
  }

  /** A thread that died fails its job (the request answers 500; the URL is not burnt) and is replaced on demand. */
  private lost(w: Worker, e: Error): void {
    const id = (w as Worker & { jobId?: number }).jobId;
    if (id !== undefined) {
      this.pending.get(id)?.reject(e);
      this.pending.delete(id);
      (w as Worker & { jobId?: number }).jobId = undefined;
    }
    const i = this.idle.indexOf(w);
    if (i >= 0) this.idle.splice(i, 1);
    this.started = Math.max(0, this.started - 1);
    w.removeAllListeners();
    this.pump();
  }
}

let pool: MarkPool | null = null;
/** Renders a marked rendition in the process's mark pool (started on first use); resolves to its encoded bytes. */
export function renderMarkedInPool(
  source: Buffer,
  spec: MarkedRenderJob['spec'],
  payload: MarkPayload,
  key: MarkKey,
): Promise<Buffer> {
  pool ??= new MarkPool(markPoolSize());
  return pool.run({ source, spec, payload, key });
}
