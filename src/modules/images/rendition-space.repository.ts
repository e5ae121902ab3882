// SQL of the rendition space bound: which rendition blobs exist, how big, since when.
import type { Sql } from '../../platform/db/client.ts';

export async function recordRendition(sql: Sql, blobKey: string, bytes: number): Promise<void> {
  await sql`/* recordRendition */
    insert into rendition_blobs (blob_key, bytes) values (${blobKey}, ${bytes})
    on conflict (blob_key) do update set bytes = excluded.bytes, stored_at = now()`;
}

/**
 * Removes (and returns) the oldest rows beyond `limitBytes` in total, newest kept first. One statement, so two
 * nodes sweeping at once delete each row once.
 */
export async function takeOverflow(sql: Sql, limitBytes: number): Promise<string[]> {
  const rows = await sql<{ blob_key: string }[]>`/* takeRenditionOverflow */
    with ranked as (
      select blob_key, sum(bytes) over (order by stored_at desc, blob_key desc) as running
      from rendition_blobs
    )
    delete from rendition_blobs r using ranked k
    where r.blob_key = k.blob_key and k.running > ${limitBytes}
    returning r.blob_key`;
  return rows.map((r) => r.blob_key);
}

export async function renditionSpace(sql: Sql): Promise<{ count: number; bytes: number }> {
  const [r] = await sql<{ count: number; bytes: number }[]>`/* renditionSpace */
    select count(*)::int as count, coalesce(sum(bytes), 0)::float8 as bytes from rendition_blobs`;
  return r;
}
