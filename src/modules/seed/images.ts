// Studio images for the synthetic catalog. Rendering 100,000 distinct images would dominate the seed, so
// products share a pool of template images (one per brand and variety, several hundred in all): each template
// is rendered once per process, stored once in the content-addressed blob store, and referenced by every
// product that uses it. front/back are JPEG studio shots on white; *_clean are PNG cut-outs with a real
// alpha channel and a transparent background.
import sharp from 'sharp';
import type { BlobStore } from '../../platform/blobs/blob-store.ts';
import type { ImageRecord, Variant } from '../catalog/index.ts';
import type { ImageTemplate } from './generator.ts';
import { canvasOf, packageSvg } from './package-svg.ts';

/** What the blob store and the encoder tell about one rendered image (the rest of ImageRecord is per product). */
type StoredImage = Pick<
  ImageRecord,
  'format' | 'content_type' | 'width' | 'height' | 'file_size_bytes' | 'sha256' | 'blob_key'
>;

export type TemplateImages = Record<Variant, StoredImage>;

interface RenderedImage {
  variant: Variant;
  format: 'jpeg' | 'png';
  bytes: Buffer;
  width: number;
  height: number;
}

/**
 * Renders the four variants of a template. Deterministic: the same template gives the same bytes.
 * Each side is rasterised once (rasterising the SVG is the costly step, and it barely speeds up when run in
 * parallel) and encoded twice: as a PNG with its alpha, and flattened onto white as a JPEG.
 */
async function renderTemplate(t: ImageTemplate): Promise<RenderedImage[]> {
  const { width, height } = canvasOf(t);
  const out: RenderedImage[] = [];
  for (const side of ['front', 'back'] as const) {
    const raw = await sharp(Buffer.from(packageSvg(t, side)))
      .ensureAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    const input = () =>
      sharp(raw.data, { raw: { width: raw.info.width, height: raw.info.height, channels: raw.info.channels } });
    const [shot, cutout] = await Promise.all([
      input().flatten({ background: '#ffffff' }).jpeg({ quality: 85 }).toBuffer(),
      input().png({ compressionLevel: 6, adaptiveFiltering: false }).toBuffer(),
    ]);
    out.push({ variant: side, format: 'jpeg', bytes: shot, width, height });
    out.push({ variant: `${side}_clean`, format: 'png', bytes: cutout, width, height });
  }
  return out;
}

/** Renders and stores each template at most once; `prepare` renders a batch's new templates in parallel. */
export class ImagePool {
  private readonly done = new Map<string, TemplateImages>();
  private readonly pending = new Map<string, Promise<TemplateImages>>();
  /** Templates rendered by this pool (for progress reports). */
  rendered = 0;

  constructor(
    private readonly blobs: BlobStore,
    private readonly concurrency = 2,
  ) {}

  /** The stored images of a template that `prepare` has handled. */
  images(t: ImageTemplate): TemplateImages {
    const got = this.done.get(t.key);
    if (!got) throw new Error(`image template ${t.key} was not prepared`);
    return got;
  }

  async prepare(templates: ImageTemplate[], onRendered?: () => void): Promise<void> {
    const todo = [...new Map(templates.filter((t) => !this.done.has(t.key)).map((t) => [t.key, t])).values()];
    let next = 0;
    // A few workers: sharp renders off the main thread, so two cores stay busy while the other awaits I/O.
    const worker = async () => {
      while (next < todo.length) {
        const t = todo[next++];
        await this.one(t);
        onRendered?.();
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.concurrency, todo.length) }, worker));
  }

  private one(t: ImageTemplate): Promise<TemplateImages> {
    let p = this.pending.get(t.key);
    if (!p) {
      p = this.store(t).then((imgs) => {
        this.done.set(t.key, imgs);
        this.pending.delete(t.key);
        this.rendered++;
        return imgs;
      });
      this.pending.set(t.key, p);
    }
    return p;
  }

  private async store(t: ImageTemplate): Promise<TemplateImages> {
    const result = {} as TemplateImages;
    for (const img of await renderTemplate(t)) {
      const blob = await this.blobs.put(img.bytes);
      result[img.variant] = {
        format: img.format,
        content_type: img.format === 'jpeg' ? 'image/jpeg' : 'image/png',
        width: img.width,
        height: img.height,
        file_size_bytes: img.bytes.length,
        sha256: blob.sha256,
        blob_key: blob.key,
      };
    }
    return result;
  }
}
