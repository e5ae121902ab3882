# GET /admin/v1/webhooks/{webhook_id}: one subscription of any client, with its delivery counters.
curl -sS --fail-with-body "$KC_ADMIN_URL/admin/v1/webhooks/$WEBHOOK_ID" -H "authorization: Bearer $KC_ADMIN_TOKEN"
