-- debit_batch with one ledger insert and one balance write per account per batch (docs/billing.md#ledger-rows).
-- The spend_daily rollup is a statement-level trigger, but the previous debit_batch inserted each ledger row in
-- its own statement inside its loop, so the trigger ran once per debit: two hot rows (the account and its
-- spend_daily row) were updated for every debit. Now the loop only decides, in memory, under the account row's
-- lock: which items fit (arrival order per account, a later smaller one may still fit), each one's balance after,
-- the Idempotency-Key marks. Then each account's balance is written once, and all ledger rows of the batch go in
-- one insert, so the rollup runs once per batch with one upsert per (account, day, client).
-- Unchanged: the per-debit guard (never below zero), one debit per request id (also within one batch), the
-- Idempotency-Key lease check, lock order (accounts in id order, then only key rows of that account's items).
create or replace function debit_batch(p_items jsonb)
returns table (idx integer, balance bigint, outcome text)
language plpgsql as $$
declare
  it record;
  b bigint;
  k integer;
  cur_account text;
  cur_balance bigint;    -- the locked account's balance as this batch leaves it; null: no such account
  start_balance bigint;
  l_account text[] := '{}';
  l_client text[] := '{}';
  l_request text[] := '{}';
  l_amount bigint[] := '{}';
  l_after bigint[] := '{}';
  l_lines jsonb[] := '{}';
begin
  for it in
    select (e.value ->> 'a') as account_id, (e.value ->> 'c') as client_id, (e.value ->> 'r') as request_id,
           (e.value ->> 'x')::bigint as cost, (e.value -> 'l') as lines, (e.value -> 'k') as idem,
           e.ordinality::integer as i
    from jsonb_array_elements(p_items) with ordinality as e
    order by e.value ->> 'a', e.ordinality
  loop
    idx := it.i;
    if cur_account is distinct from it.account_id then
      if cur_balance is distinct from start_balance then
        update accounts set balance = cur_balance where account_id = cur_account;
      end if;
      cur_account := it.account_id;
      select a.balance into cur_balance from accounts a where a.account_id = it.account_id for update;
      start_balance := cur_balance;
    end if;
    -- Already debited: by an earlier item of this batch, or by an earlier attempt whose commit was not seen.
    k := array_position(l_request, it.request_id);
    if k is not null and l_account[k] = it.account_id then
      balance := l_after[k];
      outcome := 'debited';
      return next;
      continue;
    end if;
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
    if cur_balance >= it.cost then
      cur_balance := cur_balance - it.cost;
      l_account := l_account || it.account_id;
      l_client := l_client || it.client_id;
      l_request := l_request || it.request_id;
      l_amount := l_amount || -it.cost;
      l_after := l_after || cur_balance;
      l_lines := l_lines || it.lines;
      if jsonb_typeof(it.idem) = 'object' then
        update idempotency_records r
          set charged_at = now(), request_id = it.request_id,
              charge = jsonb_build_object('cost', it.cost::text, 'balance', cur_balance::text, 'lines', it.lines)
          where r.client_id = it.idem ->> 'c' and r.scope = it.idem ->> 's' and r.idem_key = it.idem ->> 'k';
      end if;
      balance := cur_balance;
      outcome := 'debited';
      return next;
    end if;
  end loop;
  if cur_balance is distinct from start_balance then
    update accounts set balance = cur_balance where account_id = cur_account;
  end if;
  if cardinality(l_request) > 0 then
    insert into credit_ledger (account_id, client_id, request_id, kind, amount, balance_after, lines)
      select u.a, u.c, u.r, 'debit', u.x, u.b, u.l
      from unnest(l_account, l_client, l_request, l_amount, l_after, l_lines) with ordinality as u(a, c, r, x, b, l, o)
      order by u.o;
  end if;
end;
$$;
