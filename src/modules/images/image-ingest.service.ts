// Ingest of studio images (admin PUT and the CLI import share this). Trust nothing about the upload: the
// real format comes from the bytes, the declared type must agree, the pixel count is capped before any
// decode, and the whole image is decoded (a truncated file fails here, not in a customer's browser).
// The stored master is upright, sRGB, without EXIF/GPS: front/back as JPEG, *_clean as PNG with alpha.
// Nothing is written until every check passed; the same picture uploaded twice changes nothing.
import { createHash } from 'node:crypto';
import { AppError } from '../../kernel/errors.ts';
import { isCalendarDate, MAX_YEAR, MIN_YEAR, pgTextProblem } from '../../kernel/input.ts';
import type { BlobStore } from '../../platform/blobs/blob-store.ts';
import type { Sql } from '../../platform/db/client.ts';
import type { ImageRecord, Variant } from '../catalog/index.ts';
import { parseBarcode, upsertImages, VARIANTS } from '../catalog/index.ts';
import { blobReferenced, productBarcode, storedImageRecord } from './image.repository.ts';
import { sniff } from './magic-bytes.ts';
import { MediaError, normalizeUpload, probe } from './media.ts';

export const IMAGE_UPLOAD_LIMIT = 25 * 1024 * 1024;

export interface IngestInput {
  barcode: string;
  variant: string;
  bytes: Buffer;
  /** Content-Type as declared by the sender (null: take the bytes' own; the CLI passes the file extension's). */
  declaredType: string | null;
  photoDate?: string | null;
  uploadedBy?: string | null;
  sourceBatch?: string | null;
}

export interface IngestResult {
  barcode: string;
  variant: Variant;
  /** false: the identical picture was already stored for this variant; nothing changed. */
  changed: boolean;
  image: ImageRecord;
}

export class ImageIngestService {
  constructor(
    private readonly deps: {
      sql: Sql;
      blobs: BlobStore;
      /** The stored master's perceptual hashes, persisted beside it and indexed for identification. */
      hashes?: {
        indexStored(
          img: { barcode: string; gtin14: string; variant: string; sha256: string },
          bytes: Buffer,
        ): Promise<void>;
      };
    },
  ) {}

  async ingest(input: IngestInput): Promise<IngestResult> {
    const parsed = parseBarcode(input.barcode);
    if (!parsed.ok)
      throw new AppError(
        'invalid_barcode',
        parsed.reason === 'check_digit' ? 'The barcode check digit is wrong.' : 'A barcode is 8 to 14 digits.',
      );
    if (!(VARIANTS as readonly string[]).includes(input.variant))
      throw new AppError('bad_request', `Unknown variant "${input.variant}"; one of ${VARIANTS.join(', ')}.`);
    const variant = input.variant as Variant;
    // Every header is checked before a byte is written (docs/input-validation.md#image-upload).
    const photoDate = input.photoDate ?? null;
    if (photoDate !== null && !isCalendarDate(photoDate)) {
      throw new AppError('bad_request', `photo_date must be a real date YYYY-MM-DD, ${MIN_YEAR} to ${MAX_YEAR}.`);
    }
    for (const [k, v] of [
      ['uploaded_by', input.uploadedBy],
      ['source_batch', input.sourceBatch],
    ] as const) {
      // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point.
      if (v != null && (v.length > 200 || /[\u0000-\u001f\u007f]/.test(v) || pgTextProblem(v) !== null)) {
        throw new AppError('bad_request', `${k} must be at most 200 printable characters.`);
      }
    }

    const declared = input.declaredType?.split(';')[0].trim().toLowerCase() ?? null;
    if (declared !== null && declared !== 'image/jpeg' && declared !== 'image/png') {
      throw new AppError('unsupported_media_type', 'Send the image as image/jpeg or image/png.');
    }
    if (input.bytes.length === 0) throw new AppError('bad_request', 'The image body is empty.');
    const real = sniff(input.bytes);
    if (real !== 'jpeg' && real !== 'png')
      throw new AppError('unsupported_media_type', 'The body is not a JPEG or PNG image.');
    if (declared !== null && declared !== `image/${real}`) {
      throw new AppError(
        'unsupported_media_type',
        `The body is a ${real.toUpperCase()} image but was declared as ${declared}.`,
      );
    }

    const barcode = await productBarcode(this.deps.sql, parsed.gtin14);
    if (barcode === null) throw new AppError('not_found', 'No product with that barcode.');

    let meta;
    let master;
    try {
      meta = await probe(input.bytes);
      if (meta.format !== real) throw new MediaError('undecodable', 'The image header does not match its signature.');
      master = await normalizeUpload(input.bytes, variant.endsWith('_clean') ? 'png' : 'jpeg');
    } catch (e) {
      if (e instanceof MediaError) throw new AppError('unprocessable_image', e.message);
      throw e;
    }

    const sha256 = createHash('sha256').update(master.bytes).digest('hex');
    const existing = await storedImageRecord(this.deps.sql, parsed.gtin14, variant);
    if (existing && existing.sha256 === sha256) {
      // The same image again: nothing changes, but a store that lost the master (a database restored without its
      // blobs, a node moved to an empty store) gets it back: uploading the file again is the operator's repair.
      if (!(await this.deps.blobs.has(existing.blob_key))) await this.deps.blobs.put(master.bytes);
      return { barcode, variant, changed: false, image: existing };
    }

    // The blob is content-addressed and may already back another image: only one this call created is ours
    // to take back if the row that would refer to it is not written (no orphan blob).
    const preexisting = await this.deps.blobs.has(sha256);
    const blob = await this.deps.blobs.put(master.bytes);
    const image: ImageRecord = {
      variant,
      format: master.format,
      content_type: master.format === 'png' ? 'image/png' : 'image/jpeg',
      width: master.width,
      height: master.height,
      file_size_bytes: master.bytes.length,
      sha256,
      blob_key: blob.key,
      photo_date: photoDate ?? meta.photoDate,
      upload_date: new Date(),
      uploaded_by: input.uploadedBy ?? null,
      source_batch: input.sourceBatch ?? null,
    };
    try {
      await upsertImages(this.deps.sql, [{ gtin14: parsed.gtin14, image }]);
    } catch (e) {
      if (!preexisting && !(await blobReferenced(this.deps.sql, blob.key).catch(() => true))) {
        await this.deps.blobs.delete(blob.key).catch(() => undefined);
      }
      throw e;
    }
    await this.deps.hashes?.indexStored({ barcode, gtin14: parsed.gtin14, variant, sha256 }, master.bytes);
    return { barcode, variant, changed: true, image };
  }
}
