# POST /admin/v1/clients/{client_id}/revoke-sessions: end every token of the client (its keys keep working).
curl -sS --fail-with-body -X POST "$KC_ADMIN_URL/admin/v1/clients/$CLIENT_ID/revoke-sessions" \
  -H "authorization: Bearer $KC_ADMIN_TOKEN"
