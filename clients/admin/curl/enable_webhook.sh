# POST /admin/v1/webhooks/{webhook_id}/enable: enable it again; its pending deliveries resume.
curl -sS --fail-with-body -X POST "$KC_ADMIN_URL/admin/v1/webhooks/$WEBHOOK_ID/enable" \
  -H "authorization: Bearer $KC_ADMIN_TOKEN"
