# POST /admin/v1/accounts: open an account with its first credits (10 unless given).
curl -sS --fail-with-body "$KC_ADMIN_URL/admin/v1/accounts" -H "authorization: Bearer $KC_ADMIN_TOKEN" \
  -H 'content-type: application/json' -d '{"name": "Acme Foods", "credits": 100}'
