# GET /api/v1/account: the account, this API client (tier, mode, scope) and its rate-limit budget (free).
curl -sS --fail-with-body "$KC_BASE_URL/api/v1/account" -H "authorization: Bearer $TOKEN"
