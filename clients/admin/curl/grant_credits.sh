# POST /admin/v1/accounts/{account_id}/credits: grant credits (a negative amount takes them back). Pick the
# Idempotency-Key once (e.g. IDEMPOTENCY_KEY=$(uuidgen)) and resend the same one on a retry: it grants once.
curl -sS --fail-with-body "$KC_ADMIN_URL/admin/v1/accounts/$ACCOUNT_ID/credits" \
  -H "authorization: Bearer $KC_ADMIN_TOKEN" -H "idempotency-key: $IDEMPOTENCY_KEY" \
  -H 'content-type: application/json' -d '{"amount": "25", "reason": "goodwill"}'
