// What the operator fields return (docs/console.md#operators).
import type { ProductMeta } from '../catalog/index.ts';

/** A signed-in operator acting through the operator console. */
export interface Operator {
  operatorId: string;
  email: string;
  sessionId: string;
  ip: string;
}

export interface OperatorSessionView {
  operatorId: string;
  email: string;
  csrfToken: string;
  expiresAt: Date;
}

export interface AccountSummaryView {
  accountId: string;
  name: string;
  balance: bigint;
  createdAt: Date;
  owners: string[];
  clients: number;
}

export interface TraceView {
  grantId: string;
  clientId: string;
  accountId: string;
  barcode: string;
  variant: string;
  size: string;
  format: string;
  ip: string;
  issuedAt: string;
  expiresAt: string;
  redeemed: boolean;
  redeemedAt: string | null;
  redeemedIp: string | null;
}

export interface IdentifyView {
  barcode: string | null;
  variant: string | null;
  clientId: string | null;
  accountId: string | null;
  grantId: string | null;
  confidence: number | null;
  imageSimilarity: number | null;
}

export interface WebhookHealthView {
  queued: number;
  retrying: number;
  delivered: number;
  failed: number;
  /** Attempts beyond each delivery's first. */
  retries: number;
  /** How long the oldest delivery that is due has waited (null: none is due). */
  oldestDueSeconds: number | null;
}

export interface ProductImageView {
  variant: string;
  format: string;
  width: number;
  height: number;
  fileSizeBytes: number;
  sha256: string;
  uploadedAt: Date;
  /** Upload only: false when the identical picture was already stored. */
  changed: boolean | null;
}

export interface ProductView {
  barcode: string;
  gtin14: string;
  brand: string;
  productName: string;
  netWeight: string | null;
  updatedAt: Date;
  images: ProductImageView[];
  /** The whole stored product_meta, for the form (snake_case, as the admin API's body). */
  meta: ProductMeta;
}

export interface SavedProductView {
  barcode: string;
  gtin14: string;
  /** inserted, updated or unchanged. */
  outcome: string;
}
