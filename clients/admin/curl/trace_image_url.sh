# GET /admin/v1/trace/{token}: who was issued a signed image URL, when, and whether it was redeemed (the URL's
# last path segment is its token).
curl -sS --fail-with-body "$KC_ADMIN_URL/admin/v1/trace/${SIGNED_URL##*/}" -H "authorization: Bearer $KC_ADMIN_TOKEN"
