// Image bytes live behind this interface: content-addressed files on local disk for one node
// (fs-blob-store.ts); an S3-compatible store for many nodes can implement the same methods.
import type { Readable } from 'node:stream';

export interface BlobInfo {
  key: string; // content address: sha256 hex of the bytes (plus an optional namespace prefix)
  size: number;
}

export interface BlobStore {
  /** Stores bytes under their sha256; storing identical bytes twice keeps one copy. */
  put(bytes: Buffer): Promise<BlobInfo & { sha256: string }>;
  /** Stores bytes under a caller-chosen key (derivatives, marked renditions). Atomic: readers never see half a file. */
  putAt(key: string, bytes: Buffer): Promise<BlobInfo>;
  get(key: string): Promise<Buffer | null>;
  stream(key: string): Promise<{ stream: Readable; size: number } | null>;
  has(key: string): Promise<boolean>;
  delete(key: string): Promise<void>;
}
