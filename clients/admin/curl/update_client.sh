# PATCH /admin/v1/clients/{client_id}: change a client's controls; only the fields sent change.
curl -sS --fail-with-body -X PATCH "$KC_ADMIN_URL/admin/v1/clients/$CLIENT_ID" \
  -H "authorization: Bearer $KC_ADMIN_TOKEN" -H 'content-type: application/json' \
  -d '{"limits": {"per_minute": 120}}'
