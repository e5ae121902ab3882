-- Idempotency-Key records of paid reads (docs/billing.md#idempotency-keys). A pending key is held by a lease
-- (owner = the request id of the attempt, renewed while it runs) instead of a bare pending row, so a key whose
-- owner died is recovered when the lease runs out. The debit marks the key charged in its own transaction
-- (request id and ledger lines of the charge); the answer is stored afterwards as the exact response text.
-- Rows written before this migration (no lease, body as jsonb) keep their old meaning.
alter table idempotency_records
  add column lease_owner      text,
  add column lease_until      timestamptz,
  add column request_id       text,
  add column charged_at       timestamptz,
  add column charge           jsonb,
  add column response         text,
  add column response_headers jsonb;

-- A debit is found again by its request id: a retried debit_batch item is applied once (see below).
create index credit_ledger_debit_request_idx on credit_ledger (request_id) where kind = 'debit';

-- debit_batch as before (group commit, arrival order per account, locks in account order), plus:
-- * Idempotent per request: a debit whose commit was not acknowledged (the connection died after the commit)
--   and is sent again finds its ledger row under the account lock and is not applied twice.
-- * An item may carry an Idempotency-Key ('k': client, scope, key, lease owner). It is debited only while that
--   owner still holds the key uncharged, and the key is marked charged in the same transaction as the debit
--   and its ledger row. A key lost to another attempt: outcome 'lost', nothing debited.
-- Lock order stays deadlock-free: an account row first, then only key rows of that account's own items.
drop function debit_batch(jsonb);
create function debit_batch(p_items jsonb)
returns table (idx integer, balance bigint, outcome text)
language plpgsql as $$
declare
  it record;
  b bigint;
begin
  for it in
    select (e.value ->> 'a') as account_id, (e.value ->> 'c') as client_id, (e.value ->> 'r') as request_id,
           (e.value ->> 'x')::bigint as cost, (e.value -> 'l') as lines, (e.value -> 'k') as idem,
           e.ordinality::integer as i
    from jsonb_array_elements(p_items) with ordinality as e
    order by e.value ->> 'a', e.ordinality
  loop
    idx := it.i;
    perform 1 from accounts where account_id = it.account_id for update;
    select l.balance_after into b from credit_ledger l
      where l.request_id = it.request_id and l.kind = 'debit' and l.account_id = it.account_id
      limit 1;
    if found then
      balance := b;
      outcome := 'debited';
      return next;
      continue;
    end if;
    if jsonb_typeof(it.idem) = 'object' then
      perform 1 from idempotency_records r
        where r.client_id = it.idem ->> 'c' and r.scope = it.idem ->> 's' and r.idem_key = it.idem ->> 'k'
          and r.lease_owner = it.idem ->> 'o' and r.status = 0 and r.charged_at is null
        for update;
      if not found then
        balance := null;
        outcome := 'lost';
        return next;
        continue;
      end if;
    end if;
    update accounts set balance = accounts.balance - it.cost
      where account_id = it.account_id and accounts.balance >= it.cost
      returning accounts.balance into b;
    if found then
      insert into credit_ledger (account_id, client_id, request_id, kind, amount, balance_after, lines)
        values (it.account_id, it.client_id, it.request_id, 'debit', -it.cost, b, it.lines);
      if jsonb_typeof(it.idem) = 'object' then
        update idempotency_records r
          set charged_at = now(), request_id = it.request_id,
              charge = jsonb_build_object('cost', it.cost::text, 'balance', b::text, 'lines', it.lines)
          where r.client_id = it.idem ->> 'c' and r.scope = it.idem ->> 's' and r.idem_key = it.idem ->> 'k';
      end if;
      balance := b;
      outcome := 'debited';
      return next;
    end if;
  end loop;
end;
$$;
