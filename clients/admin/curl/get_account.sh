# GET /admin/v1/accounts/{account_id}: an account, its balance and its API clients (never their keys).
curl -sS --fail-with-body "$KC_ADMIN_URL/admin/v1/accounts/$ACCOUNT_ID" -H "authorization: Bearer $KC_ADMIN_TOKEN"
