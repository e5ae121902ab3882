// Bounds the blob-store space of renditions. Every delivered rendition carries its client's mark, so the store
// holds one file per (image, size, format, client): without a bound it grows with clients × catalog. Each
// stored rendition is recorded in Postgres (shared by every node, like the blob store); after a write the
// oldest beyond the bound are deleted, oldest-first by when they were stored. A deleted rendition is rendered
// again on the next request for it (renders are deterministic), so the bound trades CPU for disk, never
// correctness. Recording is off the delivery path: its failure is logged, never a failed download.

import type { Logger } from '../../kernel/logger.ts';
import type { BlobStore } from '../../platform/blobs/blob-store.ts';
import type { Sql } from '../../platform/db/client.ts';
import { recordRendition, renditionSpace, takeOverflow } from './rendition-space.repository.ts';

export class RenditionSpace {
  private sweeping: Promise<void> | null = null;
  private again = false;
  private pending = new Set<Promise<void>>();
  /** Rendition blobs deleted by this process (tests and operators read it). */
  evicted = 0;

  constructor(private readonly deps: { sql: Sql; blobs: BlobStore; limitBytes: number; log: Logger }) {}

  /** A rendition was written to the blob store under `key`. */
  stored(key: string, bytes: number): void {
    const p = recordRendition(this.deps.sql, key, bytes)
      .then(() => this.sweep())
      .catch((e) => this.deps.log.warn({ err: e, key }, 'rendition space: record failed'));
    this.pending.add(p);
    void p.finally(() => this.pending.delete(p));
  }

  /** Deletes the oldest renditions beyond the bound; concurrent calls coalesce into one more pass. */
  sweep(): Promise<void> {
    if (this.sweeping) {
      this.again = true;
      return this.sweeping;
    }
    this.sweeping = (async () => {
      try {
        do {
          this.again = false;
          const keys = await takeOverflow(this.deps.sql, this.deps.limitBytes);
          for (const k of keys) await this.deps.blobs.delete(k);
          this.evicted += keys.length;
          if (keys.length) this.deps.log.info({ evicted: keys.length }, 'rendition space: oldest renditions deleted');
        } while (this.again);
      } finally {
        this.sweeping = null;
      }
    })();
    return this.sweeping;
  }

  /** Waits for recordings and sweeps in flight (shutdown, tests). */
  async settle(): Promise<void> {
    while (this.pending.size) await Promise.allSettled([...this.pending]);
    await this.sweeping;
  }

  usage(): Promise<{ count: number; bytes: number }> {
    return renditionSpace(this.deps.sql);
  }
}
