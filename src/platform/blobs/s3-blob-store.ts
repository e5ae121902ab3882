// Blobs in an S3-compatible bucket (AWS S3, MinIO, Cloudflare R2, Ceph), shared by every node: keys sit under
// the URL's prefix in the filesystem store's layout (blob-key.ts). A PutObject replaces an object whole, so
// readers see the old bytes or the new ones, never half (the FS store gets the same from rename).
// Failures: a missing object is an answer (null/false); an unreachable store, a timeout or a 5xx/throttle is
// BlobStoreUnavailableError (kernel/errors.ts#isDependencyDown turns it into 503 + Retry-After); anything else
// (access denied, no such bucket) a plain error (500). Both reach clients masked: S3's text goes to the log only.
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { blobPath } from './blob-key.ts';
import type { BlobInfo, BlobStore } from './blob-store.ts';

/** The blob store did not answer, or answered 5xx / slow down: retry later.  @internal Exported for its tests. */
export class BlobStoreUnavailableError extends Error {
  readonly code = 'BLOB_STORE_UNAVAILABLE';
}

interface SdkError {
  name?: string;
  code?: string;
  $metadata?: { httpStatusCode?: number };
}

const statusOf = (e: unknown) => (e as SdkError | null)?.$metadata?.httpStatusCode;

// HeadObject answers 404 without a body (name NotFound), so a missing bucket looks like a missing key there;
// ping (HeadBucket) tells them apart.
function isMissing(e: unknown): boolean {
  const name = (e as SdkError | null)?.name;
  return name === 'NoSuchKey' || name === 'NotFound' || (statusOf(e) === 404 && name !== 'NoSuchBucket');
}

function failure(op: string, e: unknown): Error {
  const status = statusOf(e);
  const name = (e as SdkError | null)?.name ?? 'Error';
  if (status === undefined || status >= 500 || status === 429 || name === 'SlowDown' || name === 'TimeoutError')
    return new BlobStoreUnavailableError(`blob store unreachable (${op}: ${name}${status ? ` HTTP ${status}` : ''})`, {
      cause: e,
    });
  return new Error(`blob store ${op} failed: ${name} HTTP ${status}`, { cause: e });
}

export class S3BlobStore implements BlobStore {
  readonly kind = 's3';
  private readonly base: string;

  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
    prefix: string,
  ) {
    this.base = prefix ? `${prefix}/` : '';
  }

  private keyOf(key: string): string {
    return this.base + blobPath(key);
  }

  async ping(): Promise<void> {
    try {
      await this.client.send(new HeadBucketCommand({ Bucket: this.bucket }));
    } catch (e) {
      throw failure('ping', e);
    }
  }

  async put(bytes: Buffer): Promise<BlobInfo & { sha256: string }> {
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    if (!(await this.has(sha256))) await this.putAt(sha256, bytes);
    return { key: sha256, sha256, size: bytes.length };
  }

  async putAt(key: string, bytes: Buffer): Promise<BlobInfo> {
    const Key = this.keyOf(key);
    try {
      await this.client.send(
        new PutObjectCommand({ Bucket: this.bucket, Key, Body: bytes, ContentLength: bytes.length }),
      );
    } catch (e) {
      throw failure('put', e);
    }
    return { key, size: bytes.length };
  }

  async get(key: string): Promise<Buffer | null> {
    const Key = this.keyOf(key);
    try {
      const r = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key }));
      if (!r.Body) return Buffer.alloc(0);
      const a = await r.Body.transformToByteArray();
      return Buffer.from(a.buffer, a.byteOffset, a.byteLength);
    } catch (e) {
      if (isMissing(e)) return null;
      throw failure('get', e);
    }
  }

  /**
   * HeadObject gives the size; the GetObject starts on the first read. The caller often only wants the size
   * (renditions stream only what is too big for memory) and destroys the stream unread: then one HEAD is spent,
   * not a GET whose connection must be torn down.
   */
  async stream(key: string): Promise<{ stream: Readable; size: number } | null> {
    const Key = this.keyOf(key);
    let size: number;
    try {
      size = (await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key }))).ContentLength ?? 0;
    } catch (e) {
      if (isMissing(e)) return null;
      throw failure('stream', e);
    }
    let body: Readable | null = null;
    let starting = false;
    const abort = new AbortController();
    const stream = new Readable({
      read: () => {
        if (body) {
          body.resume();
          return;
        }
        if (starting) return;
        starting = true;
        this.client
          .send(new GetObjectCommand({ Bucket: this.bucket, Key }), { abortSignal: abort.signal })
          .then((r) => {
            if (stream.destroyed) return (r.Body as Readable | undefined)?.destroy();
            body = (r.Body as Readable | undefined) ?? Readable.from([]);
            body.on('data', (chunk: Buffer) => {
              if (!stream.push(chunk)) body?.pause();
            });
            body.once('end', () => stream.push(null));
            body.once('error', (e) => stream.destroy(failure('stream', e)));
          })
          .catch((e) => stream.destroy(failure('stream', e)));
      },
      destroy: (err, cb) => {
        abort.abort();
        body?.destroy();
        cb(err);
      },
    });
    return { stream, size };
  }

  async has(key: string): Promise<boolean> {
    const Key = this.keyOf(key);
    try {
      await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key }));
      return true;
    } catch (e) {
      if (isMissing(e)) return false;
      throw failure('has', e);
    }
  }

  async delete(key: string): Promise<void> {
    const Key = this.keyOf(key);
    try {
      await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key }));
    } catch (e) {
      if (isMissing(e)) return;
      throw failure('delete', e);
    }
  }

  async close(): Promise<void> {
    this.client.destroy();
  }
}
