# GET /api/v1/pricing: what each billed action costs, in credits, and the rate limits of each tier (free).
curl -sS --fail-with-body "$KC_BASE_URL/api/v1/pricing" -H "authorization: Bearer $TOKEN"
