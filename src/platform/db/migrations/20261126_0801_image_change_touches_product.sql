-- Any real change to a product's images moves the product's updated_at, whoever writes it (seed, admin upload,
-- CLI import). Two things depend on that: `updated_since` syncs must pick up new photos, and every node's
-- catalog cache invalidates by updated_at. `updated_at < now()` bumps a product once per transaction.
create function touch_product_of_image() returns trigger language plpgsql as $$
begin
  update products set updated_at = now()
    where gtin14 = (case when tg_op = 'DELETE' then old.gtin14 else new.gtin14 end) and updated_at < now();
  return null;
end;
$$;

create trigger product_images_touch_insert after insert on product_images
  for each row execute function touch_product_of_image();
create trigger product_images_touch_update after update on product_images
  for each row when (old.* is distinct from new.*) execute function touch_product_of_image();
create trigger product_images_touch_delete after delete on product_images
  for each row execute function touch_product_of_image();
