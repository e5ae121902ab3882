# POST /api/v1/auth/token: trade the API key for an access token (one hour) and a refresh token.
curl -sS --fail-with-body "$KC_BASE_URL/api/v1/auth/token" -H 'content-type: application/json' -d @- <<JSON
{"client_id": "$KC_CLIENT_ID", "api_key": "$KC_API_KEY"}
JSON
# Every other call sends the access token: -H "authorization: Bearer $TOKEN"
