// `npm run admin -- import-images <folder> [--metadata file.jsonl]`: imports `<barcode>_<variant>.jpg|png`
// files through the same ingest service as the admin API (same checks, same idempotency), with a progress
// bar. The metadata JSONL has one object per line: {"file"?, "barcode"?, "variant"?, "photo_date"?,
// "uploaded_by"?, "source_batch"?}, matched by file name or by barcode+variant.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { Presets, SingleBar } from 'cli-progress';
import { AppError } from '../../kernel/errors.ts';
import type { BlobStore } from '../../platform/blobs/blob-store.ts';
import type { Sql } from '../../platform/db/client.ts';
import { ImageIngestService } from './image-ingest.service.ts';

const NAME_RE = /^([0-9]{8,14})_(front|back|front_clean|back_clean)\.(jpe?g|png)$/i;

interface Meta {
  photo_date?: string;
  uploaded_by?: string;
  source_batch?: string;
}

async function readMetadata(file: string | undefined): Promise<Map<string, Meta>> {
  const out = new Map<string, Meta>();
  if (!file) return out;
  const lines = (await readFile(file, 'utf8')).split('\n');
  lines.forEach((line, i) => {
    if (!line.trim()) return;
    let o: Record<string, unknown>;
    try {
      o = JSON.parse(line);
    } catch {
      throw new Error(`${file}:${i + 1}: not JSON`);
    }
    const key = typeof o.file === 'string' ? o.file : `${o.barcode}_${o.variant}`;
    out.set(key, o as Meta);
  });
  return out;
}

export interface ImportSummary {
  stored: number;
  unchanged: number;
  failed: { file: string; error: string }[];
  skipped: string[];
}

export async function importImages(
  deps: { sql: Sql; blobs: BlobStore },
  folder: string,
  opts: { metadata?: string; progress?: boolean } = {},
): Promise<ImportSummary> {
  const meta = await readMetadata(opts.metadata);
  const files = (await readdir(folder)).sort();
  const ingest = new ImageIngestService(deps);
  const summary: ImportSummary = { stored: 0, unchanged: 0, failed: [], skipped: [] };
  const bar =
    opts.progress === false
      ? null
      : new SingleBar({ format: 'images {bar} {value}/{total} | {file}' }, Presets.shades_classic);
  const matching = files.filter((f) => NAME_RE.test(f));
  summary.skipped = files.filter((f) => !NAME_RE.test(f));
  bar?.start(matching.length, 0, { file: '' });
  for (const file of matching) {
    const [, barcode, variant, ext] = NAME_RE.exec(file)!;
    const m = meta.get(file) ?? meta.get(`${barcode}_${variant}`) ?? {};
    try {
      const r = await ingest.ingest({
        barcode,
        variant,
        bytes: await readFile(path.join(folder, file)),
        // The extension is only a claim, checked against the bytes like a declared Content-Type.
        declaredType: /png/i.test(ext) ? 'image/png' : 'image/jpeg',
        photoDate: m.photo_date ?? null,
        uploadedBy: m.uploaded_by ?? null,
        sourceBatch: m.source_batch ?? null,
      });
      if (r.changed) summary.stored++;
      else summary.unchanged++;
    } catch (e) {
      summary.failed.push({ file, error: e instanceof AppError ? `${e.code}: ${e.message}` : (e as Error).message });
    }
    bar?.increment(1, { file });
  }
  bar?.stop();
  return summary;
}
