# GET /api/v1/products/{barcode}: a billed read of exactly the scopes you name (always send include: omitted, it
# means every scope and every image). The bill: meta.credits_debited and X-Credits-Debited.
curl -sS --fail-with-body \
  "$KC_BASE_URL/api/v1/products/017000161563?include=product_meta&include=images&variants=front" \
  -H "authorization: Bearer $TOKEN"
