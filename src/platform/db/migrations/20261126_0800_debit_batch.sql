-- Group commit for debits (DESIGN "Where the time goes"): the debits that arrive while a commit is in flight
-- are applied together in one transaction, so they share one round trip and one WAL flush. Each debit keeps the
-- exact semantics of the single statement: the balance guard, the ledger row, no overdraft. Within an account
-- debits are admitted in arrival order while the balance covers them (a later, smaller one may still fit).
-- Rows are locked in account order, so two batches (from two nodes) can never deadlock each other.
create function debit_batch(p_items jsonb)
returns table (idx integer, balance bigint)
language plpgsql as $$
declare
  it record;
  b bigint;
begin
  for it in
    select (e.value ->> 'a') as account_id, (e.value ->> 'c') as client_id, (e.value ->> 'r') as request_id,
           (e.value ->> 'x')::bigint as cost, (e.value -> 'l') as lines, e.ordinality::integer as i
    from jsonb_array_elements(p_items) with ordinality as e
    order by e.value ->> 'a', e.ordinality
  loop
    update accounts set balance = accounts.balance - it.cost
      where account_id = it.account_id and accounts.balance >= it.cost
      returning accounts.balance into b;
    if found then
      insert into credit_ledger (account_id, client_id, request_id, kind, amount, balance_after, lines)
        values (it.account_id, it.client_id, it.request_id, 'debit', -it.cost, b, it.lines);
      idx := it.i;
      balance := b;
      return next;
    end if;
  end loop;
end;
$$;
