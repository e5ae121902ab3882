# POST /api/v1/webhooks/{webhook_id}/test: send a signed webhook.test ping now; the answer is the attempt
# (delivery.status, last_status_code, latency_ms).
curl -sS --fail-with-body -X POST "$KC_BASE_URL/api/v1/webhooks/$WEBHOOK_ID/test" \
  -H "authorization: Bearer $TOKEN"
