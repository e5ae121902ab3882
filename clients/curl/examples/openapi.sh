# GET /api/v1/openapi.json: this API's OpenAPI document, e.g. to generate a client (no token).
curl -sS --fail-with-body "$KC_BASE_URL/api/v1/openapi.json" -o openapi.json
