# GET /api/v1/webhooks/{webhook_id}/deliveries: the delivery log, newest first (limit 1-100; status=pending,
# delivered or failed).
curl -sS --fail-with-body "$KC_BASE_URL/api/v1/webhooks/$WEBHOOK_ID/deliveries?limit=20" \
  -H "authorization: Bearer $TOKEN"
