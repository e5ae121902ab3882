# PUT /admin/v1/pricing: set the rates (credits per unit) of some actions; in effect everywhere within seconds.
curl -sS --fail-with-body -X PUT "$KC_ADMIN_URL/admin/v1/pricing" \
  -H "authorization: Bearer $KC_ADMIN_TOKEN" -H 'content-type: application/json' \
  -d '{"actions": {"products.head": 0.05}}'
