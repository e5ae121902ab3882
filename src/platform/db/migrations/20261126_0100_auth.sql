-- Auth (docs/tokens-and-sessions.md). Refresh-token reuse revokes every access token a client was issued before that moment:
-- the moment is kept here (durable, read with the client row) and in shared state (seen by every node at once).
alter table api_clients add column not_before timestamptz;

-- Refresh tokens still usable, by client: the reuse path revokes them all in one statement.
create index refresh_tokens_live_idx on refresh_tokens (client_id) where consumed_at is null and revoked_at is null;
