# GET /api/v1/products: the free listing, one page; send page_info.next_cursor back as cursor=… (same filters)
# until it is null, or follow the Link: <…>; rel="next" header.
curl -sS --fail-with-body "$KC_BASE_URL/api/v1/products?per_page=100&has_front=true" \
  -H "authorization: Bearer $TOKEN"
