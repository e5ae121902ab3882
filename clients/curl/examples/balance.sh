# GET /api/v1/balance: credits left and spent (free).
curl -sS --fail-with-body "$KC_BASE_URL/api/v1/balance" -H "authorization: Bearer $TOKEN"
