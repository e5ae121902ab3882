# PATCH /api/v1/webhooks/{webhook_id}: change the events, url or filter of a subscription, or disable it
# ({"enabled": false}); only the fields sent change.
curl -sS --fail-with-body -X PATCH "$KC_BASE_URL/api/v1/webhooks/$WEBHOOK_ID" \
  -H "authorization: Bearer $TOKEN" -H 'content-type: application/json' \
  -d '{"events": ["product.created", "product.updated"]}'
