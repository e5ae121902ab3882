# POST /admin/v1/clients/{client_id}/rotate-key: a new api_key; the previous one works for an overlap window
# (send {"retire_previous_now": true} to stop it at once, for a leaked key).
curl -sS --fail-with-body -X POST "$KC_ADMIN_URL/admin/v1/clients/$CLIENT_ID/rotate-key" \
  -H "authorization: Bearer $KC_ADMIN_TOKEN"
