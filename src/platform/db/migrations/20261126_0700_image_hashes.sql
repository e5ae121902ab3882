-- Perceptual hashes of each stored master (docs/signed-urls.md#identifying-a-leaked-image: identification finds which catalog image a leaked copy
-- shows). `phash` is {frame, content, onBlack?} as computed by src/images/mark/perceptual-hash.ts;
-- `phash_sha256` is the master they were computed from, so a row whose picture was replaced by any writer
-- (admin upload, seed, import) counts as missing again without that writer knowing about hashes.
-- `phash_at` lets every node pick up hashes written elsewhere since its last look.
alter table product_images
  add column phash jsonb,
  add column phash_sha256 char(64),
  add column phash_at timestamptz;

create index product_images_phash_missing_idx on product_images (blob_key)
  where phash_sha256 is distinct from sha256;
create index product_images_phash_at_idx on product_images (phash_at) where phash_at is not null;
