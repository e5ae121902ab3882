-- Balances are capped at 10^14 credits (10^18 units): every amount stays exact in every output and far from
-- bigint's limit (docs/billing.md#units-and-exactness). A grant past the cap is refused with 400.
alter table accounts add constraint accounts_balance_cap check (balance <= 1000000000000000000);
