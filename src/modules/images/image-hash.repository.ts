// SQL behind identification (docs/signed-urls.md#identifying-a-leaked-image): the perceptual hashes stored beside each master, the client directory
// the mark numbers map back to, and a client's grants of one image (the grant log settles number collisions).
import type postgres from 'postgres';
import type { Sql } from '../../platform/db/client.ts';
import type { IndexedHashes } from './mark/mark-identifier.ts';

export interface HashRow {
  barcode: string;
  variant: string;
  phash: IndexedHashes;
  phash_at: Date;
}

/** Current hashes written after `since` (all of them when null); rows whose picture changed since are skipped. */
export async function hashesSince(sql: Sql, since: Date | null): Promise<HashRow[]> {
  return sql<HashRow[]>`/* imageHashesSince */
    select p.barcode, i.variant, i.phash, i.phash_at
    from product_images i join products p using (gtin14)
    where i.phash is not null and i.phash_sha256 = i.sha256
      ${since ? sql`and i.phash_at > ${since}` : sql``}`;
}

/** Masters (by blob) that lack hashes of their current picture; one blob may back several products. */
export async function blobsMissingHashes(sql: Sql, limit: number): Promise<{ blob_key: string; sha256: string }[]> {
  return sql<{ blob_key: string; sha256: string }[]>`/* blobsMissingHashes */
    select distinct on (blob_key) blob_key, sha256 from product_images
    where phash_sha256 is distinct from sha256
    order by blob_key
    limit ${limit}`;
}

export async function countMissingHashes(sql: Sql): Promise<number> {
  const [r] = await sql<{ n: number }[]>`/* countMissingHashes */
    select count(*)::int as n from product_images where phash_sha256 is distinct from sha256`;
  return r.n;
}

/** Hashes of one blob for every row it backs (null phash: the blob is gone or unreadable; not retried). */
export async function setBlobHashes(
  sql: Sql,
  blobKey: string,
  sha256: string,
  phash: IndexedHashes | null,
): Promise<void> {
  await sql`/* setBlobHashes */
    update product_images set phash = ${phash ? sql.json(phash as unknown as postgres.JSONValue) : null},
      phash_sha256 = sha256, phash_at = now()
    where blob_key = ${blobKey} and sha256 = ${sha256}`;
}

/** Hashes of a freshly ingested master; the sha guard keeps a concurrent newer upload's row untouched. */
export async function setImageHashes(
  sql: Sql,
  gtin14: string,
  variant: string,
  sha256: string,
  phash: IndexedHashes,
): Promise<void> {
  await sql`/* setImageHashes */
    update product_images set phash = ${sql.json(phash as unknown as postgres.JSONValue)}, phash_sha256 = sha256, phash_at = now()
    where gtin14 = ${gtin14} and variant = ${variant} and sha256 = ${sha256}`;
}

export async function allClientIds(sql: Sql): Promise<string[]> {
  const rows = await sql<{ client_id: string }[]>`/* allClientIds */ select client_id from api_clients`;
  return rows.map((r) => r.client_id);
}

export async function grantsOfImage(sql: Sql, clientId: string, gtin14: string, variant: string): Promise<string[]> {
  const rows = await sql<{ grant_id: string }[]>`/* grantsOfImage */
    select grant_id from image_grants
    where client_id = ${clientId} and gtin14 = ${gtin14} and variant = ${variant}
    order by issued_at desc, grant_id desc
    limit 1000`;
  return rows.map((r) => r.grant_id);
}
