-- Initial data model. Never edit a landed migration: add a new timestamp-prefixed file.
-- Money: every credit amount is a bigint of 1/10,000 credit.

create table products (
  gtin14              char(14) primary key check (gtin14 ~ '^[0-9]{14}$'),
  barcode             text not null check (barcode ~ '^[0-9]{8,14}$'),   -- as the catalog prints it
  digits              smallint generated always as (length(barcode)) stored,
  brand               text not null,
  product_name        text not null,
  product_description text,
  net_weight          text,
  category            text,
  bracha              text check (bracha in ('hamotzi','mezonos','hagafen','haetz','haadama','shehakol')),
  kosher_for_passover boolean not null default false,
  -- [{symbol, org, dairy_meat_pareve, dairy_equipment, passover, qualifiers[]}] in label order
  hechshers           jsonb not null default '[]'::jsonb check (jsonb_typeof(hechshers) = 'array'),
  -- the symbols of `hechshers`, kept by the repository on write, for the `hechsher` filter
  hechsher_symbols    text[] not null default '{}',
  ingredients         text,
  allergens           text[] not null default '{}',
  -- {serving_size, servings_per_container, calories, total_fat_g, ...}; null when not on the label
  nutrition_facts     jsonb check (nutrition_facts is null or jsonb_typeof(nutrition_facts) = 'object'),
  ownership           text not null,                                     -- studio owning the photos
  search_doc          tsvector generated always as (to_tsvector('simple', brand || ' ' || product_name)) stored,
  created_at          timestamptz not null default now(),
  updated_at          timestamptz not null default now()
);
create unique index products_barcode_idx on products (barcode);
create index products_brand_idx on products (lower(brand), gtin14);
create index products_ownership_idx on products (ownership, gtin14);
create index products_updated_idx on products (updated_at, gtin14);          -- updated_since sync + cursor
create index products_hechsher_idx on products using gin (hechsher_symbols);
create index products_passover_idx on products (kosher_for_passover, gtin14);
create index products_digits_idx on products (digits, gtin14);
create index products_search_idx on products using gin (search_doc);

create table product_images (
  gtin14          char(14) not null references products (gtin14) on delete cascade,
  variant         text not null check (variant in ('front','back','front_clean','back_clean')),
  format          text not null check (format in ('jpeg','png')),
  content_type    text not null check (content_type in ('image/jpeg','image/png')),
  width           integer not null check (width > 0),
  height          integer not null check (height > 0),
  file_size_bytes integer not null check (file_size_bytes > 0),
  sha256          char(64) not null,
  blob_key        text not null,                    -- content address in the blob store
  photo_date      date,
  upload_date     timestamptz not null default now(),
  uploaded_by     text,
  source_batch    text,
  primary key (gtin14, variant)
);
create index product_images_front_idx on product_images (gtin14) where variant = 'front';

create table accounts (
  account_id text primary key,
  name       text not null,
  balance    bigint not null default 0 check (balance >= 0),   -- 1/10,000 credit; never below zero
  created_at timestamptz not null default now()
);

create table api_clients (
  client_id        text primary key,
  account_id       text not null references accounts (account_id),
  name             text not null,
  tier             text not null check (tier in ('free','standard','enterprise')),
  enabled          boolean not null default true,
  expires_at       timestamptz,
  ip_allowlist     cidr[] not null default '{}',            -- empty: any address
  scope_brands     text[],                                   -- null: every brand
  scope_ownerships text[],                                   -- null: every ownership
  limit_per_minute integer check (limit_per_minute > 0),     -- null: the tier's default
  limit_per_day    integer check (limit_per_day > 0),
  created_at       timestamptz not null default now(),
  updated_at       timestamptz not null default now()
);
create index api_clients_account_idx on api_clients (account_id);

-- A client may hold two keys during rotation; only a hash is stored.
create table api_keys (
  key_id     bigserial primary key,
  client_id  text not null references api_clients (client_id) on delete cascade,
  key_hash   bytea not null unique,
  created_at timestamptz not null default now(),
  retired_at timestamptz                                     -- set when superseded; still valid until then
);
create index api_keys_client_idx on api_keys (client_id);

create table refresh_tokens (
  token_hash  bytea primary key,
  client_id   text not null references api_clients (client_id) on delete cascade,
  issued_at   timestamptz not null default now(),
  expires_at  timestamptz not null,
  consumed_at timestamptz,
  revoked_at  timestamptz
);
create index refresh_tokens_client_idx on refresh_tokens (client_id);

create table pricing (
  action     text primary key,
  rate       bigint not null check (rate >= 0),              -- 1/10,000 credit per unit
  updated_at timestamptz not null default now()
);
insert into pricing (action, rate) values
  ('products.get', 5000),
  ('products.get.per_image', 8000),
  ('products.head', 500),
  ('products.bulk_check', 100),
  ('products.list', 0);

-- Every change of a balance has a row here that explains it: amount is signed (debits negative).
create table credit_ledger (
  entry_id        bigserial primary key,
  account_id      text not null references accounts (account_id),
  client_id       text references api_clients (client_id),
  request_id      text,
  kind            text not null check (kind in ('debit','grant','adjustment')),
  amount          bigint not null,
  balance_after   bigint not null check (balance_after >= 0),
  -- debits: [{action, barcode?, scope?, variant?, units, rate, amount}]
  lines           jsonb not null default '[]'::jsonb,
  reason          text,
  idempotency_key text,
  created_at      timestamptz not null default now()
);
create index credit_ledger_account_time_idx on credit_ledger (account_id, created_at);
create index credit_ledger_client_time_idx on credit_ledger (client_id, created_at);
create unique index credit_ledger_idem_idx on credit_ledger (account_id, idempotency_key) where idempotency_key is not null;

-- Stored responses for Idempotency-Key replays (24 h).
create table idempotency_records (
  client_id    text not null,
  scope        text not null,                                -- route, e.g. 'bulk-check'
  idem_key     text not null,
  request_hash char(64) not null,
  status       integer not null,
  body         jsonb not null,
  created_at   timestamptz not null default now(),
  primary key (client_id, scope, idem_key)
);
create index idempotency_records_time_idx on idempotency_records (created_at);
