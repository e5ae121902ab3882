// `npm run admin -- identify <file> [--barcode B --variant V]`: the CLI twin of POST /admin/v1/identify, over
// the same service, on the blob store and database of the current configuration. Unlike the route, it hashes
// every catalog master still lacking hashes before answering (an operator's one-off may take the time).
import { readFile } from 'node:fs/promises';
import { AppError } from '../../kernel/errors.ts';
import type { KeyEntry } from '../../kernel/key-ring.ts';
import type { Logger } from '../../kernel/logger.ts';
import type { BlobStore } from '../../platform/blobs/blob-store.ts';
import type { Sql } from '../../platform/db/client.ts';
import { type IdentifyResult, ImageIdentifyService } from './image-identify.service.ts';

export async function identifyFile(
  deps: { sql: Sql; blobs: BlobStore; keys: KeyEntry[]; log: Logger },
  file: string,
  hint: { barcode?: string; variant?: string },
  progress?: (hashed: number) => void,
): Promise<IdentifyResult> {
  if ((hint.barcode === undefined) !== (hint.variant === undefined))
    throw new AppError('bad_request', 'give --barcode and --variant together');
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (e) {
    throw new AppError(
      'bad_request',
      `cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
    );
  }
  const svc = new ImageIdentifyService(deps);
  try {
    if (hint.barcode === undefined) {
      let total = 0;
      for (let n; (n = await svc.backfill()) > 0; ) progress?.((total += n));
    }
    return await svc.identify(
      bytes,
      hint.barcode !== undefined ? { barcode: hint.barcode, variant: hint.variant! } : undefined,
    );
  } finally {
    await svc.close();
  }
}
