# GET /api/v1/webhooks/{webhook_id}: one subscription, with its state (enabled, disabled_reason, failing_since).
curl -sS --fail-with-body "$KC_BASE_URL/api/v1/webhooks/$WEBHOOK_ID" -H "authorization: Bearer $TOKEN"
