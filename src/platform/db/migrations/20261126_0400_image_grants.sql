-- Traceability of signed image URLs (docs/signed-urls.md#tracing). Rows arrive in batches (about once a second)
-- from each node's in-memory buffer, never one synchronous insert per URL on the paid read path.
-- Redemptions are their own table: a URL may be redeemed on another node before its grant row is flushed.

create table image_grants (
  grant_id    text primary key,
  client_id   text not null,
  account_id  text not null,
  tier        text not null,
  request_id  text not null,
  gtin14      char(14) not null,
  variant     text not null,
  size        text not null,
  format      text not null,
  ip          text not null,
  kid         text not null,
  issued_at   timestamptz not null,
  expires_at  timestamptz not null
);
create index image_grants_client_time_idx on image_grants (client_id, issued_at);
create index image_grants_request_idx on image_grants (request_id);

create table image_redemptions (
  grant_id    text primary key,
  redeemed_at timestamptz not null,
  ip          text not null,
  request_id  text not null
);
