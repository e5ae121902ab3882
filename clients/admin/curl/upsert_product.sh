# PUT /admin/v1/products/{barcode}: insert (201) or update (200) a product's metadata.
curl -sS --fail-with-body -X PUT "$KC_ADMIN_URL/admin/v1/products/$BARCODE" \
  -H "authorization: Bearer $KC_ADMIN_TOKEN" -H 'content-type: application/json' -d @- <<'JSON'
{"brand": "Acme", "product_name": "Acme Oat Rings", "ownership": "Acme Foods", "category": "Cereal"}
JSON
