-- Cache invalidation across nodes (docs/operations.md#cache-invalidation-across-nodes). Every writer (admin API,
-- ingest CLI, seed, psql) changes these tables, so triggers are what tells every node: on commit (NOTIFY is
-- delivered only if the transaction commits) each node's LISTEN connection hears `kc_invalidate` with a JSON
-- payload {"kind": "products" | "clients" | "pricing", "ids": [...]}; no "ids" means "all of that kind".
-- Statement-level with transition tables: a bulk write (a seed batch of 1000 products, an image import) sends
-- one notification per statement, never one per row. PostgreSQL folds identical payloads of one transaction.

-- Sends one notification for the given ids: more than max_ids, or a payload near NOTIFY's 8000-byte limit,
-- becomes "all of that kind" (evicting more than needed is safe; a missed eviction is not).
create function kc_invalidate(kind text, ids text[], max_ids integer) returns void language plpgsql as $$
declare
  payload text;
begin
  if ids is null or cardinality(ids) = 0 then return; end if;
  if cardinality(ids) <= max_ids then
    payload := json_build_object('kind', kind, 'ids', ids)::text;
  end if;
  if payload is null or octet_length(payload) > 7000 then
    payload := json_build_object('kind', kind)::text;
  end if;
  perform pg_notify('kc_invalidate', payload);
end;
$$;

-- Products: GTINs of the rows a statement wrote. The image triggers of migration 0801 touch products.updated_at
-- with one UPDATE per image row from inside a trigger (trigger depth > 1); those are skipped here, the image
-- statement below names the same products once. At most 257 ids are read: more becomes "all".
create function kc_invalidate_products_new() returns trigger language plpgsql as $$
begin
  if pg_trigger_depth() > 1 then return null; end if;
  perform kc_invalidate('products', (select array_agg(g) from (select distinct gtin14::text as g from new_rows limit 257) s), 256);
  return null;
end;
$$;

create function kc_invalidate_products_old() returns trigger language plpgsql as $$
begin
  if pg_trigger_depth() > 1 then return null; end if;
  perform kc_invalidate('products', (select array_agg(g) from (select distinct gtin14::text as g from old_rows limit 257) s), 256);
  return null;
end;
$$;

-- Truncate has no rows to name: everything of the kind.
create function kc_invalidate_all() returns trigger language plpgsql as $$
begin
  perform pg_notify('kc_invalidate', json_build_object('kind', tg_argv[0])::text);
  return null;
end;
$$;

create trigger products_invalidate_insert after insert on products
  referencing new table as new_rows for each statement execute function kc_invalidate_products_new();
create trigger products_invalidate_update after update on products
  referencing new table as new_rows for each statement execute function kc_invalidate_products_new();
create trigger products_invalidate_delete after delete on products
  referencing old table as old_rows for each statement execute function kc_invalidate_products_old();
create trigger products_invalidate_truncate after truncate on products
  for each statement execute function kc_invalidate_all('products');

-- Images are part of a product's cached record (its image pointers): a change names the product. Not skipped at
-- depth > 1: a product delete cascades to its images, which only repeats the same GTINs.
create trigger product_images_invalidate_insert after insert on product_images
  referencing new table as new_rows for each statement execute function kc_invalidate_products_new();
create trigger product_images_invalidate_update after update on product_images
  referencing new table as new_rows for each statement execute function kc_invalidate_products_new();
create trigger product_images_invalidate_delete after delete on product_images
  referencing old table as old_rows for each statement execute function kc_invalidate_products_old();
create trigger product_images_invalidate_truncate after truncate on product_images
  for each statement execute function kc_invalidate_all('products');

-- API clients: the per-node client cache (enabled, expiry, scope, IP allowlist, limits, not-before mark).
create function kc_invalidate_clients_new() returns trigger language plpgsql as $$
begin
  perform kc_invalidate('clients', (select array_agg(g) from (select distinct client_id as g from new_rows limit 101) s), 100);
  return null;
end;
$$;

create function kc_invalidate_clients_old() returns trigger language plpgsql as $$
begin
  perform kc_invalidate('clients', (select array_agg(g) from (select distinct client_id as g from old_rows limit 101) s), 100);
  return null;
end;
$$;

create trigger api_clients_invalidate_insert after insert on api_clients
  referencing new table as new_rows for each statement execute function kc_invalidate_clients_new();
create trigger api_clients_invalidate_update after update on api_clients
  referencing new table as new_rows for each statement execute function kc_invalidate_clients_new();
create trigger api_clients_invalidate_delete after delete on api_clients
  referencing old table as old_rows for each statement execute function kc_invalidate_clients_old();
create trigger api_clients_invalidate_truncate after truncate on api_clients
  for each statement execute function kc_invalidate_all('clients');

-- Pricing is small and read whole: any change drops every node's copy.
create trigger pricing_invalidate after insert or update or delete or truncate on pricing
  for each statement execute function kc_invalidate_all('pricing');
