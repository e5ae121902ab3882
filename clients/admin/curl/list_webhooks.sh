# GET /admin/v1/webhooks: the webhook subscriptions of every client (or one: ?client_id=; ?enabled=false).
curl -sS --fail-with-body "$KC_ADMIN_URL/admin/v1/webhooks?client_id=$CLIENT_ID" -H "authorization: Bearer $KC_ADMIN_TOKEN"
