-- Renditions written to the blob store (every delivered rendition now carries a client mark, so there is one
-- per image, size, format and client). Tracked here so the space they take is bounded across every node:
-- the oldest beyond MARKED_CACHE_MB are deleted and simply rendered again if asked for.
create table rendition_blobs (
  blob_key   text primary key,
  bytes      integer not null check (bytes >= 0),
  stored_at  timestamptz not null default now()
);
create index rendition_blobs_stored_idx on rendition_blobs (stored_at, blob_key);
