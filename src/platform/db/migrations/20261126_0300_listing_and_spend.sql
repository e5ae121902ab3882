-- Cheap balance figures (docs/rest.md#balance) over a large ledger.
-- (The listing's sync relies on products.updated_at being stamped now() on every real change of a product or
-- its images, which src/catalog/product-write.repository.ts does; see src/listing/listing.repository.ts.)

-- 1. spent_today / spent_this_month / usage by client and day without scanning the ledger: a daily rollup
--    per (account, UTC day, client), kept by ONE statement-level trigger on credit_ledger inserts. A batched
--    debit statement that writes many ledger rows costs one upsert per (account, day, client), not one per row.
--    The debit already holds the account row's lock, so the rollup row adds no new contention or deadlock.
create table spend_daily (
  account_id text not null references accounts (account_id),
  day        date not null,                      -- UTC day of credit_ledger.created_at
  client_id  text not null default '',           -- '' for debits without a client (none today)
  debits     bigint not null default 0,          -- number of debit entries (requests charged)
  amount     bigint not null default 0 check (amount >= 0),  -- credits spent, 1/10,000 credit
  primary key (account_id, day, client_id)
);

create function spend_daily_rollup() returns trigger language plpgsql as $$
begin
  insert into spend_daily as s (account_id, day, client_id, debits, amount)
  select account_id, (created_at at time zone 'UTC')::date, coalesce(client_id, ''), count(*), sum(-amount)
  from new_entries
  where kind = 'debit'
  group by 1, 2, 3
  order by 1, 2, 3   -- one lock order for concurrent statements
  on conflict (account_id, day, client_id) do update
    set debits = s.debits + excluded.debits, amount = s.amount + excluded.amount;
  return null;
end $$;

create trigger credit_ledger_spend_daily after insert on credit_ledger
  referencing new table as new_entries
  for each statement execute function spend_daily_rollup();

insert into spend_daily (account_id, day, client_id, debits, amount)
select account_id, (created_at at time zone 'UTC')::date, coalesce(client_id, ''), count(*), sum(-amount)
from credit_ledger where kind = 'debit'
group by 1, 2, 3;
