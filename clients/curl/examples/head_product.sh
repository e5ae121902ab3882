# HEAD /api/v1/products/{barcode}: does it exist, which photos does it have (X-Available-Variants; a 404 is free).
curl -sS --fail-with-body --head "$KC_BASE_URL/api/v1/products/017000161563" \
  -H "authorization: Bearer $TOKEN"
