# GET /admin/v1/webhooks/{webhook_id}/deliveries: the delivery log of any subscription, newest first.
curl -sS --fail-with-body "$KC_ADMIN_URL/admin/v1/webhooks/$WEBHOOK_ID/deliveries?limit=20" \
  -H "authorization: Bearer $KC_ADMIN_TOKEN"
