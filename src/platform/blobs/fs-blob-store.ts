// Content-addressed blobs under a directory: <root>/<aa>/<bb>/<key>. Writes go to a temp file and are renamed
// into place, so a concurrent reader sees either nothing or the whole file.
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { blobPath } from './blob-key.ts';
import type { BlobInfo, BlobStore } from './blob-store.ts';

export class FsBlobStore implements BlobStore {
  readonly kind = 'fs';
  constructor(private readonly root: string) {}

  private pathOf(key: string): string {
    return path.join(this.root, blobPath(key));
  }

  /** The directory is there (made if missing) and is a directory. */
  async ping(): Promise<void> {
    await mkdir(this.root, { recursive: true });
  }

  async put(bytes: Buffer): Promise<BlobInfo & { sha256: string }> {
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    if (!(await this.has(sha256))) await this.putAt(sha256, bytes);
    return { key: sha256, sha256, size: bytes.length };
  }

  async putAt(key: string, bytes: Buffer): Promise<BlobInfo> {
    const file = this.pathOf(key);
    await mkdir(path.dirname(file), { recursive: true });
    const tmp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
    await writeFile(tmp, bytes);
    await rename(tmp, file);
    return { key, size: bytes.length };
  }

  async get(key: string): Promise<Buffer | null> {
    try {
      return await readFile(this.pathOf(key));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw e;
    }
  }

  async stream(key: string) {
    const file = this.pathOf(key);
    try {
      const s = await stat(file);
      return { stream: createReadStream(file), size: s.size };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw e;
    }
  }

  async has(key: string): Promise<boolean> {
    const file = this.pathOf(key);
    try {
      await stat(file);
      return true;
    } catch (e) {
      // Only "not there" is an answer; a disk error must not pass for absence (ingest rolls back on absence).
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return false;
      throw e;
    }
  }

  async delete(key: string): Promise<void> {
    try {
      await unlink(this.pathOf(key));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
  }

  async close(): Promise<void> {}
}
