# POST /admin/v1/sandbox/changes: change a sandbox product (the least recently changed, or {"barcode": …}),
# so test clients' webhooks get a product.updated event.
curl -sS --fail-with-body "$KC_ADMIN_URL/admin/v1/sandbox/changes" \
  -H "authorization: Bearer $KC_ADMIN_TOKEN" -H 'content-type: application/json' -d '{}'
