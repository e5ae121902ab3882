# POST /admin/v1/accounts/{account_id}/clients: a new API client; its api_key is shown only in this answer.
curl -sS --fail-with-body "$KC_ADMIN_URL/admin/v1/accounts/$ACCOUNT_ID/clients" \
  -H "authorization: Bearer $KC_ADMIN_TOKEN" -H 'content-type: application/json' \
  -d '{"name": "Acme storefront", "tier": "standard"}'
