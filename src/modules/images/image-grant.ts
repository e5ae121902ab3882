// The seam between paid reads and images: the read-plan service asks for signed URLs of the variants it
// has already billed; the images module signs them (docs/signed-urls.md) and records the grants for tracing.

import type { Tier } from '../../kernel/principal.ts';
import type { ImageFormat, ImageSize, Variant } from '../catalog/index.ts';

export interface ImageGrant {
  clientId: string;
  accountId: string;
  tier: Tier;
  /** The requester's IP: the URL works only from there. */
  ip: string;
  requestId: string;
  gtin14: string;
  /** The catalog's printed barcode (used in Content-Disposition). */
  barcode: string;
  variant: Variant;
  size: ImageSize;
  format: ImageFormat;
  /**
   * Optional: the blob key of the stored master (ImageRecord.blob_key). When given, the URL is bound to that
   * exact picture and delivery needs no database lookup; when absent, delivery looks the variant up.
   */
  sourceBlobKey?: string;
}

export interface ImageUrlIssuer {
  /**
   * Signs one URL per grant, in order. `baseUrl` is the public origin (e.g. https://api.example.com) the
   * URLs should point at. Synchronous on purpose: no database write on the hot read path; grants are
   * recorded for tracing in batches by the implementation.
   */
  issue(grants: ImageGrant[], baseUrl: string): string[];
}
