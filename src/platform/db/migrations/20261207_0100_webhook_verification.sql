-- Webhooks cannot be turned on third parties (docs/webhooks.md#verification):
--   * a subscription receives events only once its endpoint answered a signed `webhook.verification` event by
--     echoing its challenge (`verification` = 'verified'); until then nothing is queued for it, and what is
--     already pending waits parked (next attempt at infinity), as for a disabled subscription;
--   * a replay does not queue an event again while a delivery of it to the same subscription is still pending.
-- Subscriptions made before this migration never proved their endpoint: they start 'pending', their pending
-- deliveries are parked, and POST /api/v1/webhooks/{id}/verify brings them back.
alter table webhook_subscriptions
  add column verification text not null default 'pending' check (verification in ('pending', 'verified', 'failed')),
  add column verified_at timestamptz,
  -- why the last verification failed (our words, never the target's answer)
  add column verification_error text check (length(verification_error) <= 300);

update webhook_deliveries set next_attempt_at = 'infinity' where status = 'pending';

drop index webhook_subscriptions_enabled_idx;
create index webhook_subscriptions_active_idx on webhook_subscriptions (subscription_id)
  where enabled and verification = 'verified';
-- replay's de-duplication: is this event already pending for this subscription?
create index webhook_deliveries_pending_event_idx on webhook_deliveries (subscription_id, event_id)
  where status = 'pending';

-- As in migration 0900, plus: only verified subscriptions, and a replay skips events already pending for it.
create or replace function webhook_enqueue(ids bigint[], only_subscription text, delivery_kind text) returns integer
language plpgsql as $$
declare
  n integer;
begin
  insert into webhook_deliveries (subscription_id, event_id, gtin14, kind)
  select s.subscription_id, e.event_id, e.gtin14, delivery_kind
  from webhook_events e
  join products p on p.gtin14 = e.gtin14
  join webhook_subscriptions s on s.enabled and s.verification = 'verified' and e.type = any(s.events)
    and (only_subscription is null or s.subscription_id = only_subscription)
  join api_clients c on c.client_id = s.client_id and c.enabled and (c.expires_at is null or c.expires_at > now())
  where e.event_id = any(ids)
    and (only_subscription is null or not exists (
      select 1 from webhook_deliveries x
      where x.subscription_id = s.subscription_id and x.event_id = e.event_id and x.status = 'pending'))
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

create or replace function webhook_fan_out(ids bigint[]) returns void language plpgsql as $$
begin
  -- Nothing to match while no subscription is enabled and verified (a fresh catalog being seeded).
  if exists (select 1 from webhook_subscriptions where enabled and verification = 'verified') then
    perform webhook_enqueue(ids, null, 'live');
  end if;
end;
$$;
