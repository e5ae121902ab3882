-- Webhooks for sandbox changes (docs/test-mode.md#webhooks, docs/webhooks.md#catalogs). Every event names the
-- catalog it happened in: `live` (public.products, public.product_images) or `test` (the sandbox schema of migration
-- 20261207_0300). A test-mode client's subscriptions receive test events only, a live client's live events only.
-- Named after 0300 because it puts triggers on the sandbox tables that 0300 creates.
--
-- The trigger functions and webhook_enqueue name the catalog's tables by schema (the trigger's own schema, the
-- event's catalog), never through search_path, so a sandbox write made with any search_path (the sandbox pool, an
-- operator's hand-written SQL) reads the sandbox's products, and a live write the live ones.
alter table webhook_events
  add column catalog text not null default 'live' check (catalog in ('live', 'test'));

-- As in 20261207_0100, plus: the products of the event's catalog, and only subscriptions of clients in that mode.
-- One statement per catalog among the ids (a trigger's batch has one); dynamic SQL names the catalog's schema.
create or replace function webhook_enqueue(ids bigint[], only_subscription text, delivery_kind text) returns integer
language plpgsql as $$
declare
  n integer := 0;
  k integer;
  cat text;
begin
  for cat in select distinct e.catalog from webhook_events e where e.event_id = any(ids) loop
    execute format($q$
      insert into webhook_deliveries (subscription_id, event_id, gtin14, kind)
      select s.subscription_id, e.event_id, e.gtin14, $3
      from webhook_events e
      join %1$I.products p on p.gtin14 = e.gtin14
      join webhook_subscriptions s on s.enabled and s.verification = 'verified' and e.type = any(s.events)
        and ($2::text is null or s.subscription_id = $2)
      join api_clients c on c.client_id = s.client_id and c.mode = $4 and c.enabled
        and (c.expires_at is null or c.expires_at > now())
      where e.event_id = any($1) and e.catalog = $4
        and ($2::text is null or not exists (
          select 1 from webhook_deliveries x
          where x.subscription_id = s.subscription_id and x.event_id = e.event_id and x.status = 'pending'))
        and (c.scope_brands is null
             or exists (select 1 from unnest(c.scope_brands) b where lower(b) = lower(p.brand)))
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
             = exists (select 1 from %1$I.product_images i where i.gtin14 = p.gtin14 and i.variant = 'front'))
      order by e.event_id, s.subscription_id
    $q$, case cat when 'test' then 'sandbox' else 'public' end)
    using ids, only_subscription, delivery_kind, cat;
    get diagnostics k = row_count;
    n := n + k;
  end loop;
  if n > 0 then
    perform pg_notify('webhook_deliveries', '');
  end if;
  return n;
end;
$$;

-- The catalog a trigger fired in.
create function webhook_catalog_of(schema_name name) returns text language sql immutable as $$
  select case schema_name when 'sandbox' then 'test' else 'live' end
$$;

create or replace function webhook_products_inserted() returns trigger language plpgsql as $$
declare
  ids bigint[];
begin
  with ev as (
    insert into webhook_events (type, gtin14, barcode, updated_at, catalog)
    select 'product.created', n.gtin14, n.barcode, n.updated_at, webhook_catalog_of(tg_table_schema)
    from new_rows n order by n.gtin14
    returning event_id
  )
  select array_agg(event_id) into ids from ev;
  if ids is not null then perform webhook_fan_out(ids); end if;
  return null;
end;
$$;

-- Nested updates return at once, as in migration 0900.
create or replace function webhook_products_updated() returns trigger language plpgsql as $$
declare
  ids bigint[];
begin
  if pg_trigger_depth() > 1 then return null; end if;
  with ev as (
    insert into webhook_events (type, gtin14, barcode, changed_fields, updated_at, catalog)
    select 'product.updated', n.gtin14, n.barcode, f.fields, n.updated_at, webhook_catalog_of(tg_table_schema)
    from new_rows n
    join old_rows o on o.gtin14 = n.gtin14
    cross join lateral (select webhook_changed_fields(row(o.*)::public.products, row(n.*)::public.products) as fields) f
    where cardinality(f.fields) > 0
    order by n.gtin14
    returning event_id
  )
  select array_agg(event_id) into ids from ev;
  if ids is not null then perform webhook_fan_out(ids); end if;
  return null;
end;
$$;

-- Image events, as in migration 0900 (the product rows are locked first: that orders two transactions changing one
-- product), reading the products of the trigger's own schema.
create or replace function webhook_images_changed() returns trigger language plpgsql as $$
declare
  ids bigint[];
  kind text := case tg_op when 'INSERT' then 'product.image_added' when 'UPDATE' then 'product.image_replaced'
                 else 'product.image_removed' end;
  rows_name text := case tg_op when 'DELETE' then 'old_rows' else 'new_rows' end;
begin
  execute format('select 1 from %I.products p where p.gtin14 in (select gtin14 from %I)
      and p.xmin <> pg_current_xact_id()::xid order by p.gtin14 for no key update', tg_table_schema, rows_name);
  if tg_op in ('INSERT', 'DELETE') then
    execute format($q$
      with ev as (
        insert into webhook_events (type, gtin14, barcode, variant, updated_at, catalog)
        select $1, p.gtin14, p.barcode, r.variant, p.updated_at, $2
        from %2$I r join %1$I.products p on p.gtin14 = r.gtin14
        order by p.gtin14, r.variant
        returning event_id
      )
      select array_agg(event_id) from ev
    $q$, tg_table_schema, rows_name) into ids using kind, webhook_catalog_of(tg_table_schema);
  else
    -- Replaced: the picture or its image_meta changed; bookkeeping columns (perceptual hashes) do not count.
    execute format($q$
      with ev as (
        insert into webhook_events (type, gtin14, barcode, variant, updated_at, catalog)
        select $1, p.gtin14, p.barcode, r.variant, p.updated_at, $2
        from new_rows r
        join old_rows o on o.gtin14 = r.gtin14 and o.variant = r.variant
        join %1$I.products p on p.gtin14 = r.gtin14
        where (o.format, o.content_type, o.width, o.height, o.file_size_bytes, o.sha256, o.blob_key, o.photo_date,
               o.upload_date, o.uploaded_by, o.source_batch)
          is distinct from (r.format, r.content_type, r.width, r.height, r.file_size_bytes, r.sha256, r.blob_key,
               r.photo_date, r.upload_date, r.uploaded_by, r.source_batch)
        order by p.gtin14, r.variant
        returning event_id
      )
      select array_agg(event_id) from ev
    $q$, tg_table_schema) into ids using kind, webhook_catalog_of(tg_table_schema);
  end if;
  if ids is not null then perform webhook_fan_out(ids); end if;
  return null;
end;
$$;

create trigger products_webhook_insert after insert on sandbox.products
  referencing new table as new_rows for each statement execute function webhook_products_inserted();
create trigger products_webhook_update after update on sandbox.products
  referencing old table as old_rows new table as new_rows
  for each statement execute function webhook_products_updated();
create trigger product_images_webhook_insert after insert on sandbox.product_images
  referencing new table as new_rows for each statement execute function webhook_images_changed();
create trigger product_images_webhook_update after update on sandbox.product_images
  referencing old table as old_rows new table as new_rows for each statement execute function webhook_images_changed();
create trigger product_images_webhook_delete after delete on sandbox.product_images
  referencing old table as old_rows for each statement execute function webhook_images_changed();
