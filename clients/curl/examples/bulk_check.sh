# POST /api/v1/products/bulk-check: up to 500 barcodes a request, rows in the order given. An Idempotency-Key
# (20–255 characters, unique per request) makes a retry after a lost answer free: it replays the first answer.
curl -sS --fail-with-body "$KC_BASE_URL/api/v1/products/bulk-check" \
  -H "authorization: Bearer $TOKEN" -H 'content-type: application/json' \
  -H "idempotency-key: bulk-check-$(date +%Y%m%d-%H%M%S)-$$" \
  -d '{"barcodes": ["017000161563", "7290000066318", "0072250037129"]}'
