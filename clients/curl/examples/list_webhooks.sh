# GET /api/v1/webhooks: this API client's subscriptions, oldest first (never their secrets; free).
curl -sS --fail-with-body "$KC_BASE_URL/api/v1/webhooks" -H "authorization: Bearer $TOKEN"
