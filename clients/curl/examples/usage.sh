# GET /api/v1/usage: this month's requests and credits per action and day (free); from=/to= pick other days.
curl -sS --fail-with-body "$KC_BASE_URL/api/v1/usage?group_by=action&group_by=day" \
  -H "authorization: Bearer $TOKEN"
