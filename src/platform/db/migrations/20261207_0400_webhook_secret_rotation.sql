-- Signing-secret rotation with overlap (docs/webhooks.md#secret-rotation). A rotation keeps the secret it replaced
-- (sealed as secret_enc is) until previous_secret_until; until then every delivery is signed with both secrets.
-- A second rotation inside the window drops the oldest secret.
alter table webhook_subscriptions
  add column previous_secret_enc text,
  add column previous_secret_until timestamptz,
  add constraint webhook_subscriptions_previous_secret check ((previous_secret_enc is null) = (previous_secret_until is null));
