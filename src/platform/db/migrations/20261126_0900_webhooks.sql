-- Catalog-change webhooks (docs/webhooks.md). Three tables and the triggers that fill them:
--   webhook_subscriptions  one row per endpoint of an API client (at most 10 per client, checked by the service);
--   webhook_events         the outbox: one row per catalog change, written by triggers on products and
--                          product_images inside the writer's own transaction (admin API, ingest CLI, seed alike),
--                          so a change that commits is announced and one that rolls back never is;
--   webhook_deliveries     one row per (event, subscription) to send, fanned out by the same triggers, claimed by
--                          the dispatchers of every node with FOR UPDATE SKIP LOCKED.
-- Inserts and image changes are statement-level triggers with transition tables: a seed batch of 500 products
-- writes its events and deliveries in one INSERT … SELECT each, not 500 (docs/webhooks.md#outbox).

create table webhook_subscriptions (
  subscription_id text primary key,                                  -- wh_<ULID>
  client_id       text not null references api_clients (client_id) on delete cascade,
  url             text not null check (length(url) <= 2048),
  events          text[] not null check (cardinality(events) > 0),
  -- the listing filters as the client sent them, validated: {brand, ownership, hechsher, search, min_digits,
  -- has_front, kosher_for_passover}; search_query is the tsquery text of `search`
  filter          jsonb not null default '{}'::jsonb check (jsonb_typeof(filter) = 'object'),
  search_query    text,
  secret_enc      text not null,                                     -- kid:iv:ciphertext:tag (AES-256-GCM)
  enabled         boolean not null default true,
  disabled_reason text,
  disabled_at     timestamptz,
  failing_since   timestamptz,                                       -- first failure since the last success
  created_at      timestamptz not null default now(),
  updated_at      timestamptz not null default now()
);
create index webhook_subscriptions_client_idx on webhook_subscriptions (client_id, created_at);
create index webhook_subscriptions_enabled_idx on webhook_subscriptions (subscription_id) where enabled;

create table webhook_events (
  event_id       bigserial primary key,
  -- the webhook-id: 122 random bits, unique without an index to maintain (nothing looks an event up by it)
  message_id     text not null default ('msg_' || replace(gen_random_uuid()::text, '-', '')),
  type           text not null check (type in ('product.created', 'product.updated', 'product.image_added',
                   'product.image_replaced', 'product.image_removed', 'webhook.test')),
  gtin14         char(14),                                           -- null for test pings
  barcode        text,
  changed_fields text[],                                             -- product.updated only
  variant        text,                                               -- image events only
  updated_at     timestamptz,                                        -- the product's updated_at after the change
  created_at     timestamptz not null default clock_timestamp()
);
-- replay ranges and pruning; rows arrive in time order, so a BRIN index costs next to nothing per insert
create index webhook_events_time_idx on webhook_events using brin (created_at);

create table webhook_deliveries (
  delivery_id      bigserial primary key,
  subscription_id  text not null references webhook_subscriptions (subscription_id) on delete cascade,
  -- no foreign key: checking one locks the event row for every delivery (a third of the fan-out's cost); events
  -- are only pruned once no delivery refers to them (webhooks.repository.ts pruneOld)
  event_id         bigint not null,
  gtin14           char(14),                                         -- ordering key: one product at a time
  kind             text not null default 'live' check (kind in ('live', 'replay', 'test')),
  status           text not null default 'pending' check (status in ('pending', 'delivered', 'failed')),
  attempts         integer not null default 0,
  next_attempt_at  timestamptz not null default now(),               -- 'infinity' while the subscription is off
  first_attempt_at timestamptz,
  last_attempt_at  timestamptz,
  last_status      integer,                                          -- HTTP status of the last attempt
  last_error       text,
  last_latency_ms  integer,
  response_excerpt text check (octet_length(response_excerpt) <= 1024),
  created_at       timestamptz not null default now(),
  completed_at     timestamptz
)
-- a queue: every delivery is updated twice (claimed, done) within seconds; vacuum it early and often so the due
-- index does not fill with dead entries that every claim walks past
with (fillfactor = 80, autovacuum_vacuum_scale_factor = 0.01, autovacuum_vacuum_threshold = 1000,
  autovacuum_vacuum_insert_scale_factor = 0.01, autovacuum_analyze_scale_factor = 0.02,
  autovacuum_vacuum_cost_delay = 0);
create index webhook_deliveries_due_idx on webhook_deliveries (next_attempt_at, delivery_id) where status = 'pending';
create index webhook_deliveries_order_idx on webhook_deliveries (subscription_id, gtin14, delivery_id)
  where status = 'pending';
create index webhook_deliveries_log_idx on webhook_deliveries (subscription_id, delivery_id desc);
create index webhook_deliveries_event_idx on webhook_deliveries (event_id);

-- Queues the given events for every enabled subscription that wants them (or for one subscription: a replay), in
-- event order, so that the deliveries of one product are numbered in the order its changes committed
-- (docs/webhooks.md#ordering). "Wants": the event type, the client enabled and not expired, the client's scope,
-- and the listing filters of docs/rest.md#listing-filters compared as the listing compares them (names
-- case-insensitive). One statement for the whole batch; the conditions are written out here rather than in a
-- helper function, which PostgreSQL would call (and plan) once per event and subscription.
create function webhook_enqueue(ids bigint[], only_subscription text, delivery_kind text) returns integer
language plpgsql as $$
declare
  n integer;
begin
  insert into webhook_deliveries (subscription_id, event_id, gtin14, kind)
  select s.subscription_id, e.event_id, e.gtin14, delivery_kind
  from webhook_events e
  join products p on p.gtin14 = e.gtin14
  join webhook_subscriptions s on s.enabled and e.type = any(s.events)
    and (only_subscription is null or s.subscription_id = only_subscription)
  join api_clients c on c.client_id = s.client_id and c.enabled and (c.expires_at is null or c.expires_at > now())
  where e.event_id = any(ids)
    and (c.scope_brands is null or exists (select 1 from unnest(c.scope_brands) b where lower(b) = lower(p.brand)))
    and (c.scope_ownerships is null
         or exists (select 1 from unnest(c.scope_ownerships) o where lower(o) = lower(p.ownership)))
    and (s.filter->>'brand' is null or lower(p.brand) = lower(s.filter->>'brand'))
    and (s.filter->>'ownership' is null or lower(p.ownership) = lower(s.filter->>'ownership'))
    and (s.filter->>'hechsher' is null or p.hechsher_symbols @> array[s.filter->>'hechsher'])
    and (s.filter->'kosher_for_passover' is null
         or p.kosher_for_passover = (s.filter->>'kosher_for_passover')::boolean)
    and (s.filter->'min_digits' is null or p.digits >= (s.filter->>'min_digits')::int)
    and (s.search_query is null or p.search_doc @@ to_tsquery('simple', s.search_query))
    and (s.filter->'has_front' is null or (s.filter->>'has_front')::boolean
         = exists (select 1 from product_images i where i.gtin14 = p.gtin14 and i.variant = 'front'))
  order by e.event_id, s.subscription_id;
  get diagnostics n = row_count;
  if n > 0 then
    perform pg_notify('webhook_deliveries', '');
  end if;
  return n;
end;
$$;

create function webhook_fan_out(ids bigint[]) returns void language plpgsql as $$
begin
  -- Nothing to match while no subscription is enabled (a fresh catalog being seeded).
  if exists (select 1 from webhook_subscriptions where enabled) then
    perform webhook_enqueue(ids, null, 'live');
  end if;
end;
$$;

-- The product columns a client sees, by their API names; hechsher_symbols follows hechshers, the rest
-- (digits, search_doc, created_at, updated_at) are derived or bookkeeping.
create function webhook_changed_fields(o products, n products) returns text[] language sql immutable as $$
  select array_remove(array[
    case when o.barcode is distinct from n.barcode then 'barcode' end,
    case when o.brand is distinct from n.brand then 'brand' end,
    case when o.product_name is distinct from n.product_name then 'product_name' end,
    case when o.product_description is distinct from n.product_description then 'product_description' end,
    case when o.net_weight is distinct from n.net_weight then 'net_weight' end,
    case when o.category is distinct from n.category then 'category' end,
    case when o.bracha is distinct from n.bracha then 'bracha' end,
    case when o.kosher_for_passover is distinct from n.kosher_for_passover then 'kosher_for_passover' end,
    case when o.hechshers is distinct from n.hechshers then 'hechshers' end,
    case when o.ingredients is distinct from n.ingredients then 'ingredients' end,
    case when o.allergens is distinct from n.allergens then 'allergens' end,
    case when o.nutrition_facts is distinct from n.nutrition_facts then 'nutrition_facts' end,
    case when o.ownership is distinct from n.ownership then 'ownership' end
  ], null)
$$;

create function webhook_products_inserted() returns trigger language plpgsql as $$
declare
  ids bigint[];
begin
  with ev as (
    insert into webhook_events (type, gtin14, barcode, updated_at)
    select 'product.created', n.gtin14, n.barcode, n.updated_at from new_rows n order by n.gtin14
    returning event_id
  )
  select array_agg(event_id) into ids from ev;
  if ids is not null then perform webhook_fan_out(ids); end if;
  return null;
end;
$$;

-- Statement-level like the others. The image triggers of migration 0801 touch products.updated_at with one
-- UPDATE per image row, from inside a trigger; such nested updates (trigger depth > 1) are returned from at once:
-- they change no client-visible field, and the image event announces the change. A real change made by a trigger
-- would be missed the same way: announce it from that trigger's own table.
create function webhook_products_updated() returns trigger language plpgsql as $$
declare
  ids bigint[];
begin
  if pg_trigger_depth() > 1 then return null; end if;
  with ev as (
    insert into webhook_events (type, gtin14, barcode, changed_fields, updated_at)
    select 'product.updated', n.gtin14, n.barcode, f.fields, n.updated_at
    from new_rows n
    join old_rows o on o.gtin14 = n.gtin14
    cross join lateral (select webhook_changed_fields(o, n) as fields) f
    where cardinality(f.fields) > 0
    order by n.gtin14
    returning event_id
  )
  select array_agg(event_id) into ids from ev;
  if ids is not null then perform webhook_fan_out(ids); end if;
  return null;
end;
$$;

-- Image events. The product rows are locked first: the row lock is what orders two transactions that change
-- one product, so event and delivery ids of a product follow commit order (docs/webhooks.md#ordering). Rows this
-- transaction already wrote (xmin is ours: inserted by the seed's batch, or touched) are locked already.
create function webhook_images_changed() returns trigger language plpgsql as $$
declare
  ids bigint[];
  kind text := case tg_op when 'INSERT' then 'product.image_added' when 'UPDATE' then 'product.image_replaced'
                 else 'product.image_removed' end;
begin
  if tg_op = 'DELETE' then
    perform 1 from products p where p.gtin14 in (select gtin14 from old_rows) and p.xmin <> pg_current_xact_id()::xid
      order by p.gtin14 for no key update;
    with ev as (
      insert into webhook_events (type, gtin14, barcode, variant, updated_at)
      select kind, p.gtin14, p.barcode, r.variant, p.updated_at
      from old_rows r join products p on p.gtin14 = r.gtin14
      order by p.gtin14, r.variant
      returning event_id
    )
    select array_agg(event_id) into ids from ev;
  elsif tg_op = 'INSERT' then
    perform 1 from products p where p.gtin14 in (select gtin14 from new_rows) and p.xmin <> pg_current_xact_id()::xid
      order by p.gtin14 for no key update;
    with ev as (
      insert into webhook_events (type, gtin14, barcode, variant, updated_at)
      select kind, p.gtin14, p.barcode, r.variant, p.updated_at
      from new_rows r join products p on p.gtin14 = r.gtin14
      order by p.gtin14, r.variant
      returning event_id
    )
    select array_agg(event_id) into ids from ev;
  else
    -- Replaced: the picture or its image_meta changed; bookkeeping columns (perceptual hashes) do not count.
    perform 1 from products p where p.gtin14 in (select gtin14 from new_rows) and p.xmin <> pg_current_xact_id()::xid
      order by p.gtin14 for no key update;
    with ev as (
      insert into webhook_events (type, gtin14, barcode, variant, updated_at)
      select kind, p.gtin14, p.barcode, r.variant, p.updated_at
      from new_rows r
      join old_rows o on o.gtin14 = r.gtin14 and o.variant = r.variant
      join products p on p.gtin14 = r.gtin14
      where (o.format, o.content_type, o.width, o.height, o.file_size_bytes, o.sha256, o.blob_key, o.photo_date,
             o.upload_date, o.uploaded_by, o.source_batch)
        is distinct from (r.format, r.content_type, r.width, r.height, r.file_size_bytes, r.sha256, r.blob_key,
             r.photo_date, r.upload_date, r.uploaded_by, r.source_batch)
      order by p.gtin14, r.variant
      returning event_id
    )
    select array_agg(event_id) into ids from ev;
  end if;
  if ids is not null then perform webhook_fan_out(ids); end if;
  return null;
end;
$$;

create trigger products_webhook_insert after insert on products
  referencing new table as new_rows for each statement execute function webhook_products_inserted();
create trigger products_webhook_update after update on products
  referencing old table as old_rows new table as new_rows
  for each statement execute function webhook_products_updated();
create trigger product_images_webhook_insert after insert on product_images
  referencing new table as new_rows for each statement execute function webhook_images_changed();
create trigger product_images_webhook_update after update on product_images
  referencing old table as old_rows new table as new_rows for each statement execute function webhook_images_changed();
create trigger product_images_webhook_delete after delete on product_images
  referencing old table as old_rows for each statement execute function webhook_images_changed();

-- Claims up to n due deliveries for one attempt each (docs/webhooks.md#claiming). SKIP LOCKED lets every node claim
-- at once without taking the same row; a delivery waits while an earlier delivery of the same product to the same
-- subscription is still pending (in flight or waiting for a retry), which keeps per-product order. The claim is a
-- lease: next_attempt_at moves past the attempt's timeout, so a node that dies mid-attempt leaves the delivery due
-- again for another node; `attempts` is the fencing token of the outcome write.
-- The planner settings make it walk the due index in order and stop after n rows: the table grows from nothing
-- to many thousand rows within seconds (a bulk change), and a plan made from stale statistics would sort every
-- due row on each claim instead (measured: 570 ms per claim at 100k pending, against under a millisecond). JIT is off
-- because the settings inflate the plan's cost estimate past the JIT threshold.
create function webhook_claim(n integer, lease_ms integer)
returns table (delivery_id bigint, attempts integer, kind text, subscription_id text, gtin14 char(14), url text,
  secret_enc text, message_id text, type text, barcode text, changed_fields text[], variant text,
  updated_at timestamptz, event_at timestamptz)
language plpgsql
set enable_sort = off
set enable_bitmapscan = off
set enable_seqscan = off
set jit = off
as $$
#variable_conflict use_column
begin
  return query
  with due as (
    select d.delivery_id
    from webhook_deliveries d
    where d.status = 'pending' and d.next_attempt_at <= now()
      and not exists (
        select 1 from webhook_deliveries x
        where x.subscription_id = d.subscription_id and x.gtin14 = d.gtin14 and x.status = 'pending'
          and x.delivery_id < d.delivery_id)
    order by d.next_attempt_at, d.delivery_id
    limit n
    for update skip locked
  ), claimed as (
    update webhook_deliveries d
    set attempts = d.attempts + 1, last_attempt_at = now(), first_attempt_at = coalesce(d.first_attempt_at, now()),
        next_attempt_at = now() + lease_ms * interval '1 millisecond'
    from due where d.delivery_id = due.delivery_id
    returning d.delivery_id, d.attempts, d.kind, d.subscription_id, d.gtin14, d.event_id
  )
  select c.delivery_id, c.attempts, c.kind, c.subscription_id, c.gtin14, s.url, s.secret_enc, e.message_id, e.type,
         e.barcode, e.changed_fields, e.variant, e.updated_at, e.created_at
  from claimed c
  join webhook_subscriptions s on s.subscription_id = c.subscription_id
  join webhook_events e on e.event_id = c.event_id
  order by c.delivery_id;
end;
$$;

-- Records successful attempts: one call per batch (docs/webhooks.md#delivery). Rows are found through the primary
-- key whatever the statistics say (as in webhook_claim): planned from a table that looked small a minute ago, the
-- join on the batch scanned the whole table, 100 ms per batch at 100k rows. `attempts` fences stale writers.
create function webhook_delivered(ids bigint[], attempt_nos integer[], statuses integer[], latencies integer[],
  excerpts text[]) returns void
language plpgsql
set enable_seqscan = off
set enable_bitmapscan = off
set jit = off
as $$
begin
  with done as (
    update webhook_deliveries d
    set status = 'delivered', completed_at = now(), last_status = r.status, last_error = null,
        last_latency_ms = r.latency, response_excerpt = r.excerpt
    from unnest(ids, attempt_nos, statuses, latencies, excerpts) as r(delivery_id, attempts, status, latency, excerpt)
    where d.delivery_id = r.delivery_id and d.attempts = r.attempts and d.status = 'pending'
    returning d.subscription_id
  )
  update webhook_subscriptions s set failing_since = null
  where s.failing_since is not null and s.subscription_id in (select subscription_id from done);
end;
$$;
