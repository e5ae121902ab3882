-- Test mode (docs/test-mode.md). An API client is `live` or `test`; a test client reads the sandbox catalog and
-- its paid reads are recorded in test_usage instead of being debited: the bill is computed by the same read-plan
-- service, only the sink differs.
--
-- The sandbox catalog is a schema of its own with the same two tables. The application reads and writes it
-- through a pool whose search_path is `sandbox, public`: every query names `products` and `product_images`
-- unqualified, so the same repositories serve both catalogs, and the trigger functions (which also name them
-- unqualified) run against the catalog that was written.
alter table api_clients add column mode text not null default 'live' check (mode in ('live', 'test'));

create schema sandbox;
create table sandbox.products (like public.products including all);
create table sandbox.product_images (like public.product_images including all);
alter table sandbox.product_images
  add foreign key (gtin14) references sandbox.products (gtin14) on delete cascade;

-- The same bookkeeping as the live catalog: an image change touches its product (migration 0801), and every
-- node's caches hear the change (migration 20261201_0500; both catalogs' caches listen to `products`).
create trigger product_images_touch_insert after insert on sandbox.product_images
  for each row execute function touch_product_of_image();
create trigger product_images_touch_update after update on sandbox.product_images
  for each row when (old.* is distinct from new.*) execute function touch_product_of_image();
create trigger product_images_touch_delete after delete on sandbox.product_images
  for each row execute function touch_product_of_image();
create trigger products_invalidate_insert after insert on sandbox.products
  referencing new table as new_rows for each statement execute function kc_invalidate_products_new();
create trigger products_invalidate_update after update on sandbox.products
  referencing new table as new_rows for each statement execute function kc_invalidate_products_new();
create trigger products_invalidate_delete after delete on sandbox.products
  referencing old table as old_rows for each statement execute function kc_invalidate_products_old();
create trigger product_images_invalidate_insert after insert on sandbox.product_images
  referencing new table as new_rows for each statement execute function kc_invalidate_products_new();
create trigger product_images_invalidate_update after update on sandbox.product_images
  referencing new table as new_rows for each statement execute function kc_invalidate_products_new();
create trigger product_images_invalidate_delete after delete on sandbox.product_images
  referencing old table as old_rows for each statement execute function kc_invalidate_products_old();

-- What a test client's paid reads would have cost: one row per read, never touching a balance. The primary key is
-- the request id, as the ledger's debit is unique per request: a retried statement records a read once.
create table test_usage (
  request_id text primary key,
  account_id text not null references accounts (account_id) on delete cascade,
  client_id  text not null references api_clients (client_id) on delete cascade,
  amount     bigint not null check (amount >= 0),        -- 1/10,000 credit, what a live read would have debited
  lines      jsonb not null default '[]'::jsonb,
  created_at timestamptz not null default now()
);
create index test_usage_client_idx on test_usage (client_id, created_at);
create index test_usage_account_idx on test_usage (account_id, created_at);
