# GET /admin/v1/clients/{client_id}: one API client.
curl -sS --fail-with-body "$KC_ADMIN_URL/admin/v1/clients/$CLIENT_ID" -H "authorization: Bearer $KC_ADMIN_TOKEN"
