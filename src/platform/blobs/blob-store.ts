// Image bytes live behind this interface: content-addressed files on local disk for one node
// (fs-blob-store.ts), or an S3-compatible bucket shared by many nodes (s3-blob-store.ts); open-blob-store.ts
// picks one from BLOB_STORE_URL. test/platform/blobs/blob-store.contract.test.ts holds both to the same cases.
import type { Readable } from 'node:stream';

export interface BlobInfo {
  key: string; // content address: sha256 hex of the bytes (plus an optional namespace prefix)
  size: number;
}

export interface BlobStore {
  /** Which store this is (GET /api/v1/health reports it). */
  readonly kind: 'fs' | 's3';
  /** Resolves when the store can be reached (a cheap request; health probe). */
  ping(): Promise<void>;
  /** Stores bytes under their sha256; storing identical bytes twice keeps one copy. */
  put(bytes: Buffer): Promise<BlobInfo & { sha256: string }>;
  /** Stores bytes under a caller-chosen key (derivatives, marked renditions). Atomic: readers never see half a file. */
  putAt(key: string, bytes: Buffer): Promise<BlobInfo>;
  /** The bytes, or null when there is no such blob. Every other failure throws. */
  get(key: string): Promise<Buffer | null>;
  /** A stream of the bytes and their size, or null when there is no such blob; destroy the stream if unread. */
  stream(key: string): Promise<{ stream: Readable; size: number } | null>;
  has(key: string): Promise<boolean>;
  /** Deleting a missing key is not an error. */
  delete(key: string): Promise<void>;
  /** Releases connections (shutdown). */
  close(): Promise<void>;
}
