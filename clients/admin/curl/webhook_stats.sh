# GET /admin/v1/webhooks/stats: delivery counters, cluster-wide and of the answering node.
curl -sS --fail-with-body "$KC_ADMIN_URL/admin/v1/webhooks/stats" -H "authorization: Bearer $KC_ADMIN_TOKEN"
