# POST /admin/v1/webhooks/{webhook_id}/disable: stop its deliveries (pending ones wait); the client sees the reason.
curl -sS --fail-with-body "$KC_ADMIN_URL/admin/v1/webhooks/$WEBHOOK_ID/disable" \
  -H "authorization: Bearer $KC_ADMIN_TOKEN" -H 'content-type: application/json' \
  -d '{"reason": "endpoint under maintenance"}'
