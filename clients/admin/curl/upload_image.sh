# PUT /admin/v1/products/{barcode}/images/{variant}: upload a studio image (JPEG or PNG bytes as the body).
curl -sS --fail-with-body -X PUT "$KC_ADMIN_URL/admin/v1/products/$BARCODE/images/front" \
  -H "authorization: Bearer $KC_ADMIN_TOKEN" -H 'content-type: image/jpeg' --data-binary @front.jpg
