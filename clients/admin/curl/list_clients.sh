# GET /admin/v1/accounts/{account_id}/clients: the account's API clients.
curl -sS --fail-with-body "$KC_ADMIN_URL/admin/v1/accounts/$ACCOUNT_ID/clients" -H "authorization: Bearer $KC_ADMIN_TOKEN"
