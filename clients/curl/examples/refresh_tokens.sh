# POST /api/v1/auth/refresh: trade the refresh token (single use) for a new pair. Keep the new refresh token;
# presenting a spent one again ends every session of the client (401 refresh_token_reused).
curl -sS --fail-with-body "$KC_BASE_URL/api/v1/auth/refresh" -H 'content-type: application/json' -d @- <<JSON
{"refresh_token": "$REFRESH_TOKEN"}
JSON
