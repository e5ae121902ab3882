# GET /api/v1/health: is the service up, with its database and cache (no token; 503 when a dependency is down).
curl -sS --fail-with-body "$KC_BASE_URL/api/v1/health"
