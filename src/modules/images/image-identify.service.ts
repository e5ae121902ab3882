// Identification of a leaked image against the catalog (docs/signed-urls.md#identifying-a-leaked-image), over the mark module's MarkIdentifier:
// this side owns the catalog plumbing. The perceptual-hash index is built lazily on the first identify call
// (start-up stays fast) from the hashes stored beside each master; masters without current hashes (the seed
// and bulk writers do not compute them) are hashed from their blobs in bounded batches, the first batch
// before answering, the rest in the background. Every call first picks up hashes written since the last one,
// here or on another node, so uploads are identifiable everywhere right away.

import { AppError } from '../../kernel/errors.ts';
import type { KeyEntry } from '../../kernel/key-ring.ts';
import type { Logger } from '../../kernel/logger.ts';
import type { BlobStore } from '../../platform/blobs/blob-store.ts';
import type { Sql } from '../../platform/db/client.ts';
import { parseBarcode, VARIANTS, type Variant } from '../catalog/index.ts';
import { storedImage } from './image.repository.ts';
import {
  allClientIds,
  blobsMissingHashes,
  countMissingHashes,
  grantsOfImage,
  hashesSince,
  setBlobHashes,
  setImageHashes,
} from './image-hash.repository.ts';
import { type Identification, type IndexedHashes, MarkIdentifier, type OriginalRef } from './mark/mark-identifier.ts';
import { decodeRawFitted, hasAlpha } from './mark/mark-raster.ts';
import { HASH_INPUT_LONG, perceptualHashes } from './mark/perceptual-hash.ts';
import { MediaError, probe } from './media.ts';
import { watermarkSvg } from './watermark.ts';

/** Masters hashed before an identify call answers; the rest continue in the background. */
const BACKFILL_BATCH = 200;
/** Overlap when polling for new hashes: a transaction's now() can commit after a later one's. */
const POLL_OVERLAP_MS = 10_000;

export interface IdentifyResult {
  barcode: string | null;
  variant: string | null;
  image_similarity: number | null;
  client_id: string | null;
  grant_id: string | null;
  confidence: number | null;
  mark: { kid: string; score: number; client_number: number; grant_tag: number | null; candidates: string[] } | null;
  /** Index entries (a cut-out counts twice: on white and on black) and masters still waiting to be hashed. */
  catalog_index: { entries: number; pending: number };
}

export interface IdentifyHint {
  barcode: string;
  variant: string;
}

/** Hashes of a master as identification indexes it: on white, and on black too for cut-outs. */
async function hashesOf(bytes: Buffer): Promise<IndexedHashes> {
  const img = await decodeRawFitted(bytes, HASH_INPUT_LONG);
  const h: IndexedHashes = await perceptualHashes(img, 255);
  if (hasAlpha(img.channels)) h.onBlack = await perceptualHashes(img, 0);
  return h;
}

const gtinOf = (barcode: string) => barcode.padStart(14, '0');

export class ImageIdentifyService {
  readonly marks: MarkIdentifier;
  private since: Date | null = null;
  private loaded = false;
  private backfillRun: Promise<number> | null = null;
  private background: Promise<void> | null = null;
  private pending = 0;
  private closed = false;

  constructor(
    private readonly deps: {
      sql: Sql;
      blobs: BlobStore;
      keys: KeyEntry[];
      log: Logger;
      /** Writes buffered grant rows first, so a copy delivered a moment ago finds its grant. */
      flushGrants?: () => Promise<void>;
    },
  ) {
    const { sql, blobs } = deps;
    this.marks = new MarkIdentifier({
      keys: deps.keys,
      overlays: [watermarkSvg],
      log: deps.log,
      async loadOriginal(ref) {
        const s = await storedImage(sql, gtinOf(ref.barcode), ref.variant as Variant);
        return s ? blobs.get(s.blob_key) : null;
      },
      listClientIds: () => allClientIds(sql),
      grantsFor: (clientId, ref) => grantsOfImage(sql, clientId, gtinOf(ref.barcode), ref.variant),
    });
  }

  /**
   * Ingest hook: a master was stored; hash it, persist the hashes beside it, index it. Never fails the upload:
   * a master left without hashes is hashed by the next backfill.
   */
  async indexStored(
    img: { barcode: string; gtin14: string; variant: string; sha256: string },
    bytes: Buffer,
  ): Promise<void> {
    try {
      const h = await hashesOf(bytes);
      await setImageHashes(this.deps.sql, img.gtin14, img.variant, img.sha256, h);
      this.marks.indexHashes({ barcode: img.barcode, variant: img.variant }, h);
    } catch (e) {
      this.deps.log.warn(
        { err: e, barcode: img.barcode, variant: img.variant },
        'identify index: hashing an upload failed; left to the backfill',
      );
    }
  }

  /** Hashes up to `limit` blobs that lack current hashes; returns how many were done (single-flight). */
  backfill(limit = BACKFILL_BATCH): Promise<number> {
    this.backfillRun ??= (async () => {
      try {
        const todo = await blobsMissingHashes(this.deps.sql, limit);
        for (const b of todo) {
          if (this.closed) break;
          const bytes = await this.deps.blobs.get(b.blob_key);
          let h: IndexedHashes | null = null;
          try {
            if (bytes) h = await hashesOf(bytes);
          } catch {
            /* unreadable master: recorded as such below, not retried */
          }
          if (!h) this.deps.log.warn({ blob_key: b.blob_key }, 'identify index: master missing or unreadable');
          await setBlobHashes(this.deps.sql, b.blob_key, b.sha256, h);
        }
        this.pending = await countMissingHashes(this.deps.sql);
        return todo.length;
      } finally {
        this.backfillRun = null;
      }
    })();
    return this.backfillRun;
  }

  /** Loads hashes written since the last look into the index. */
  private async refresh(): Promise<void> {
    const since = this.since ? new Date(this.since.getTime() - POLL_OVERLAP_MS) : null;
    for (const r of await hashesSince(this.deps.sql, since)) {
      this.marks.indexHashes({ barcode: r.barcode, variant: r.variant }, r.phash);
      if (!this.since || r.phash_at > this.since) this.since = r.phash_at;
    }
  }

  /** The index, current: one bounded backfill batch, the new hashes, the rest of the backfill in the background. */
  async ensureIndex(): Promise<void> {
    if (!this.loaded || this.pending > 0) await this.backfill();
    await this.refresh();
    this.loaded = true;
    if (this.pending > 0 && !this.background && !this.closed) {
      this.background = (async () => {
        try {
          while (this.pending > 0 && !this.closed) {
            if ((await this.backfill()) === 0) break;
            await this.refresh();
          }
        } catch (e) {
          this.deps.log.warn({ err: e }, 'identify index: background backfill stopped');
        } finally {
          this.background = null;
        }
      })();
    }
  }

  async identify(bytes: Buffer, hint?: IdentifyHint): Promise<IdentifyResult> {
    if (bytes.length === 0) throw new AppError('bad_request', 'The body is empty; send the image file.');
    try {
      await probe(bytes); // refuses a pixel bomb before anything decodes it
    } catch (e) {
      if (e instanceof MediaError) throw new AppError('unprocessable_image', `Not a readable image: ${e.message}`);
      throw e;
    }
    let ref: OriginalRef | undefined;
    if (hint) {
      const parsed = parseBarcode(hint.barcode);
      if (!parsed.ok) throw new AppError('invalid_barcode', 'A barcode is 8 to 14 digits with a valid check digit.');
      if (!(VARIANTS as readonly string[]).includes(hint.variant))
        throw new AppError('bad_request', `variant must be one of ${VARIANTS.join(', ')}.`);
      const s = await storedImage(this.deps.sql, parsed.gtin14, hint.variant as Variant);
      if (!s) throw new AppError('not_found', 'No catalog image for that barcode and variant.');
      ref = { barcode: s.barcode, variant: hint.variant };
    } else {
      await this.ensureIndex();
    }
    await this.deps.flushGrants?.();
    const r: Identification = await this.marks.identify(bytes, ref);
    return {
      barcode: r.barcode,
      variant: r.variant,
      image_similarity: r.image_similarity,
      client_id: r.client_id,
      grant_id: r.grant_id,
      confidence: r.confidence,
      mark: r.mark && {
        kid: r.mark.kid,
        score: r.mark.score,
        client_number: r.mark.clientNumber,
        grant_tag: r.mark.grantTag,
        candidates: r.mark.candidates,
      },
      catalog_index: { entries: this.marks.index.size, pending: this.pending },
    };
  }

  /** Stops the background backfill (shutdown). */
  async close(): Promise<void> {
    this.closed = true;
    await this.background;
    await this.backfillRun;
  }
}
