# POST /admin/v1/identify: which catalog image a copy (resized, re-encoded…) shows, and the client whose mark
# it carries.
curl -sS --fail-with-body "$KC_ADMIN_URL/admin/v1/identify" -H "authorization: Bearer $KC_ADMIN_TOKEN" \
  -H 'content-type: application/octet-stream' --data-binary @copy.jpg
