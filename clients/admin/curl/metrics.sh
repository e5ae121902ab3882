# GET /admin/v1/metrics: this process's Prometheus metrics, as text (scrape every node).
curl -sS --fail-with-body "$KC_ADMIN_URL/admin/v1/metrics" -H "authorization: Bearer $KC_ADMIN_TOKEN"
