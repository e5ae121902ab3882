# POST /api/v1/auth/revoke: log out, ending a refresh (or access) token; an unknown or dead one is revoked: false.
curl -sS --fail-with-body "$KC_BASE_URL/api/v1/auth/revoke" -H 'content-type: application/json' -d @- <<JSON
{"token": "$REFRESH_TOKEN", "token_type_hint": "refresh_token"}
JSON
