# DELETE /api/v1/webhooks/{webhook_id}: end a subscription; nothing more is delivered to it (free, 204).
curl -sS --fail-with-body -X DELETE "$KC_BASE_URL/api/v1/webhooks/$WEBHOOK_ID" \
  -H "authorization: Bearer $TOKEN"
