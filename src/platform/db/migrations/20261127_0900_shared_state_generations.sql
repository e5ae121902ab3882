-- The generation of each shared store (Redis, by key prefix), docs/durability.md#the-generation-mark. A store that
-- loses its data (restart without persistence, flush, failover to an empty replica) starts a new generation; every
-- one-shot image URL and access token issued before it is refused. The row outlives the store: it tells a lost
-- store from a new one, and the largest generation is kept.
create table shared_state_generations (
  store         text primary key,
  generation_ms bigint not null,
  recorded_at   timestamptz not null default now()
);
