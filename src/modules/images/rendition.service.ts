// Renditions: the bytes actually delivered for (master, size, format, viewer). This is the ONE place where a
// rendition is produced, so per-viewer stages live here: the Free tier's visible watermark now, and the
// invisible client mark (docs/signed-urls.md#invisible-client-mark) through the `marker` hook. Each rendition is rendered once: hot ones sit in
// a bounded in-memory LRU, all of them in the blob store under a deterministic key (putAt is atomic, so two
// nodes rendering the same key at once both write identical complete files), and concurrent first requests
// in one process share a single render (single-flight map).
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { AppError } from '../../kernel/errors.ts';
import type { Tier } from '../../kernel/principal.ts';
import type { BlobStore } from '../../platform/blobs/blob-store.ts';
import { type ImageFormat, type ImageSize, SIZE_PX } from '../catalog/index.ts';
import { ByteLru } from './byte-lru.ts';
import { CONTENT_TYPES, EXTENSIONS, sniff } from './magic-bytes.ts';
import { type OutputFormat, render } from './media.ts';
import { watermarkSvg } from './watermark.ts';

export interface RenditionViewer {
  clientId: string;
  tier: Tier;
  grantId: string;
}

/** The invisible client mark plugs in here. `keyPart` must identify the mark's payload (it names the cached file). */
export interface ClientMarker {
  keyPart(viewer: RenditionViewer): string | null;
  /** Renders the viewer's marked rendition of an encoded master (watermark: the Free tier's visible one too). */
  render(
    viewer: RenditionViewer,
    source: Buffer,
    spec: { maxSide: number | null; format: OutputFormat; watermark: boolean },
  ): Promise<Buffer>;
}

export interface Rendition {
  bytes?: Buffer;
  stream?: Readable;
  length: number;
  contentType: (typeof CONTENT_TYPES)[keyof typeof CONTENT_TYPES];
  ext: (typeof EXTENSIONS)[keyof typeof EXTENSIONS];
  etag: string;
}

/** A rendition held in memory; handed out as is (callers never change a Rendition). */
type Cached = Rendition & { bytes: Buffer; stream?: undefined };

export interface RenditionOptions {
  cacheBytes: number;
  marker?: ClientMarker;
  /** Told of every rendition written to the blob store (rendition-space.ts bounds the space they take). */
  onStored?: (key: string, bytes: number) => void;
  /** Told of every render this process performs (format, seconds) for kc_image_render_seconds. */
  onRendered?: (format: OutputFormat, seconds: number) => void;
}

export class RenditionService {
  private readonly lru: ByteLru<Cached>;
  private readonly inflight = new Map<string, Promise<Cached>>();
  /** Renders actually performed by this process (tests assert single-flight; benchmarks read it). */
  renders = 0;

  constructor(
    private readonly blobs: BlobStore,
    private readonly opts: RenditionOptions,
  ) {
    this.lru = new ByteLru(opts.cacheBytes);
  }

  /** The rendition of `sourceKey` for this viewer. Throws not_found when the master is gone from the store. */
  async get(sourceKey: string, size: ImageSize, format: ImageFormat, viewer: RenditionViewer): Promise<Rendition> {
    const { key, identity, watermark, mark } = this.keyOf(sourceKey, size, format, viewer);
    const hot = this.lru.get(key);
    if (hot) return hot;
    const big = this.inflight.has(key) ? null : await this.streamIfTooBig(key);
    if (big) return big;
    let p = this.inflight.get(key);
    if (!p) {
      p = this.load(key, sourceKey, identity, { size, format, watermark, viewer, mark: mark !== null });
      this.inflight.set(key, p);
      p.finally(() => this.inflight.delete(key)).catch(() => {});
    }
    return await p;
  }

  /** The rendition when it is in the memory cache, without I/O or a promise (the redemption path); else undefined. */
  hot(sourceKey: string, size: ImageSize, format: ImageFormat, viewer: RenditionViewer): Rendition | undefined {
    return this.lru.get(this.keyOf(sourceKey, size, format, viewer).key);
  }

  /** The rendition's blob key: the master's own for an identity rendition, else the master's with its parameters. */
  private keyOf(sourceKey: string, size: ImageSize, format: ImageFormat, viewer: RenditionViewer) {
    const watermark = viewer.tier === 'free';
    const mark = this.opts.marker?.keyPart(viewer) ?? null;
    const identity = size === 'original' && format === 'original' && !watermark && !mark;
    let key = sourceKey;
    if (!identity) {
      key = `${sourceKey}.${size}.${format}`;
      if (watermark) key += '.wm';
      if (mark) key += `.${mark}`;
    }
    return { key, identity, watermark, mark };
  }

  private async load(
    key: string,
    sourceKey: string,
    identity: boolean,
    spec: { size: ImageSize; format: ImageFormat; watermark: boolean; viewer: RenditionViewer; mark: boolean },
  ): Promise<Cached> {
    let bytes = await this.blobs.get(key);
    if (!bytes) {
      if (identity) throw gone();
      const source = await this.blobs.get(sourceKey);
      if (!source) throw gone();
      const srcType = sniff(source);
      const out: OutputFormat = spec.format === 'original' ? (srcType === 'png' ? 'png' : 'jpeg') : spec.format;
      this.renders++;
      const t0 = performance.now();
      const maxSide = SIZE_PX[spec.size];
      bytes = spec.mark
        ? await this.opts.marker!.render(spec.viewer, source, { maxSide, format: out, watermark: spec.watermark })
        : await render(source, {
            maxSide,
            format: out,
            overlay: spec.watermark ? (w, h) => watermarkSvg(w, h) : undefined,
          });
      this.opts.onRendered?.(out, (performance.now() - t0) / 1000);
      await this.blobs.putAt(key, bytes);
      this.opts.onStored?.(key, bytes.length);
    }
    const t = sniff(bytes);
    if (t !== 'jpeg' && t !== 'png' && t !== 'webp' && t !== 'avif')
      throw new Error(`rendition ${key} is not a deliverable image`);
    const c: Cached = {
      bytes,
      length: bytes.length,
      contentType: CONTENT_TYPES[t],
      ext: EXTENSIONS[t],
      etag: `"${createHash('sha256').update(bytes).digest('base64url').slice(0, 32)}"`,
    };
    this.lru.set(key, c);
    return c;
  }

  /**
   * A stored rendition too big for the memory cache is streamed from the store instead of read whole:
   * the first chunk tells its type, then goes back into the stream.
   */
  private async streamIfTooBig(key: string): Promise<Rendition | null> {
    const s = await this.blobs.stream(key);
    if (!s) return null;
    if (s.size <= this.lru.maxItemBytes) {
      s.stream.destroy();
      return null;
    }
    const first = await new Promise<Buffer | null>((resolve, reject) => {
      s.stream.once('readable', () => resolve(s.stream.read(16) as Buffer | null));
      s.stream.once('error', reject);
    });
    const t = first ? sniff(first) : 'unknown';
    if (!first || (t !== 'jpeg' && t !== 'png' && t !== 'webp' && t !== 'avif')) {
      s.stream.destroy();
      throw new Error(`rendition ${key} is not a deliverable image`);
    }
    s.stream.unshift(first);
    // Blob keys are content addresses (master sha256 + the rendition's parameters): they name these exact bytes.
    const etag = `"${createHash('sha256').update(key).digest('base64url').slice(0, 32)}"`;
    return { stream: s.stream, length: s.size, contentType: CONTENT_TYPES[t], ext: EXTENSIONS[t], etag };
  }

  get cacheStats() {
    return { items: this.lru.size, bytes: this.lru.bytes, renders: this.renders };
  }
}

const gone = () => new AppError('not_found', 'The image is no longer available.');
