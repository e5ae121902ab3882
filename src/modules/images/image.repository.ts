// SQL of the images module: the stored master of a variant, and the trace tables (grants and redemptions,
// written in batches by grant-recorder.ts).
import type { Sql } from '../../platform/db/client.ts';
import type { ImageRecord, Variant } from '../catalog/index.ts';

export interface StoredImage {
  barcode: string;
  blob_key: string;
  sha256: string;
  format: 'jpeg' | 'png';
}

export async function productBarcode(sql: Sql, gtin14: string): Promise<string | null> {
  const rows = await sql<{ barcode: string }[]>`/* productBarcode */
    select barcode from products where gtin14 = ${gtin14}`;
  return rows[0]?.barcode ?? null;
}

export async function storedImage(sql: Sql, gtin14: string, variant: Variant): Promise<StoredImage | null> {
  const rows = await sql<StoredImage[]>`/* storedImage */
    select p.barcode, i.blob_key, i.sha256, i.format
    from product_images i join products p using (gtin14)
    where i.gtin14 = ${gtin14} and i.variant = ${variant}`;
  return rows[0] ?? null;
}

/** True when some stored image still refers to the blob (another product, or a concurrent upload). */
export async function blobReferenced(sql: Sql, blobKey: string): Promise<boolean> {
  const rows = await sql`/* blobReferenced */ select 1 from product_images where blob_key = ${blobKey} limit 1`;
  return rows.length > 0;
}

/** The variant's current record, for the ingest's idempotency check. */
export async function storedImageRecord(sql: Sql, gtin14: string, variant: Variant): Promise<ImageRecord | null> {
  const rows = await sql<ImageRecord[]>`/* storedImageRecord */
    select variant, format, content_type, width, height, file_size_bytes, sha256, blob_key,
           to_char(photo_date, 'YYYY-MM-DD') as photo_date, upload_date, uploaded_by, source_batch
    from product_images where gtin14 = ${gtin14} and variant = ${variant}`;
  return rows[0] ?? null;
}

export interface GrantRow {
  grant_id: string;
  client_id: string;
  account_id: string;
  tier: string;
  request_id: string;
  gtin14: string;
  variant: string;
  size: string;
  format: string;
  ip: string;
  kid: string;
  issued_at: Date;
  expires_at: Date;
}

export interface RedemptionRow {
  grant_id: string;
  redeemed_at: Date;
  ip: string;
  request_id: string;
}

// Batches go in as arrays through unnest: one prepared statement whatever the batch size (a multi-row VALUES
// list would be a new statement, and 13 bind parameters, per row).
const col = <T, K extends keyof T>(rows: T[], k: K) => rows.map((r) => r[k]);
const isoCol = <T, K extends keyof T>(rows: T[], k: K) => rows.map((r) => (r[k] as unknown as Date).toISOString());

export async function insertGrants(sql: Sql, rows: GrantRow[]): Promise<void> {
  if (rows.length === 0) return;
  await sql`/* insertGrants */
    insert into image_grants (grant_id, client_id, account_id, tier, request_id, gtin14, variant, size, format, ip, kid, issued_at, expires_at)
    select * from unnest(${col(rows, 'grant_id')}::text[], ${col(rows, 'client_id')}::text[], ${col(rows, 'account_id')}::text[],
      ${col(rows, 'tier')}::text[], ${col(rows, 'request_id')}::text[], ${col(rows, 'gtin14')}::char(14)[], ${col(rows, 'variant')}::text[],
      ${col(rows, 'size')}::text[], ${col(rows, 'format')}::text[], ${col(rows, 'ip')}::text[], ${col(rows, 'kid')}::text[],
      ${isoCol(rows, 'issued_at')}::timestamptz[], ${isoCol(rows, 'expires_at')}::timestamptz[])
    on conflict (grant_id) do nothing`;
}

export async function insertRedemptions(sql: Sql, rows: RedemptionRow[]): Promise<void> {
  if (rows.length === 0) return;
  await sql`/* insertRedemptions */
    insert into image_redemptions (grant_id, redeemed_at, ip, request_id)
    select * from unnest(${col(rows, 'grant_id')}::text[], ${isoCol(rows, 'redeemed_at')}::timestamptz[], ${col(rows, 'ip')}::text[],
      ${col(rows, 'request_id')}::text[])
    on conflict (grant_id) do nothing`;
}

export async function grantTrace(
  sql: Sql,
  grantId: string,
): Promise<{ grant: GrantRow | null; redemption: RedemptionRow | null }> {
  const [grants, redemptions] = await Promise.all([
    sql<GrantRow[]>`/* grantById */
      select grant_id, client_id, account_id, tier, request_id, gtin14, variant, size, format, ip, kid, issued_at, expires_at
      from image_grants where grant_id = ${grantId}`,
    sql<RedemptionRow[]>`/* redemptionById */
      select grant_id, redeemed_at, ip, request_id from image_redemptions where grant_id = ${grantId}`,
  ]);
  return { grant: grants[0] ?? null, redemption: redemptions[0] ?? null };
}
