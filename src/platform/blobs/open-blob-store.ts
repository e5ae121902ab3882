// The one place a blob store is chosen: BLOB_STORE_URL (parsed and checked in blobs.config.ts) names an S3-compatible
// bucket or a directory; unset, files under <DATA_DIR>/blobs (docs/operations.md#blob-store).
import type { BlobStore } from './blob-store.ts';
import type { BlobStoreLocation, BlobsConfig } from './blobs.config.ts';
import { FsBlobStore } from './fs-blob-store.ts';

/** Where the blobs are, for logs and CLI output (never a credential: the URL holds none). */
export function describeBlobStore(loc: BlobStoreLocation): string {
  if (loc.kind === 'fs') return loc.root;
  return `s3://${loc.bucket}/${loc.prefix}${loc.endpoint ? ` at ${loc.endpoint}` : ` in ${loc.region}`}`;
}

export async function openBlobStore(config: BlobsConfig): Promise<BlobStore> {
  const loc = config.location;
  if (loc.kind === 'fs') return new FsBlobStore(loc.root);
  // Loaded only when asked for: the AWS SDK takes about half a second to import, which the default store (and
  // every CLI start on it) should not pay.
  const [{ S3Client }, { S3BlobStore }] = await Promise.all([
    import('@aws-sdk/client-s3'),
    import('./s3-blob-store.ts'),
  ]);
  const client = new S3Client({
    region: loc.region,
    endpoint: loc.endpoint,
    forcePathStyle: loc.forcePathStyle,
    credentials: config.credentials,
    // Checksums only where S3 requires them: the SDK's newer default (CRC32 on every request and response) is
    // not understood by every S3-compatible store, and PutObject bodies are small Buffers sent whole anyway.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    // A store that does not answer fails the request (503 to the client) instead of holding it open.
    requestHandler: { connectionTimeout: 3000, requestTimeout: 30_000 },
    maxAttempts: 3,
  });
  return new S3BlobStore(client, loc.bucket, loc.prefix);
}
