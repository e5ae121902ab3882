# POST /api/v1/webhooks/{webhook_id}/verify: send the endpoint a new challenge, which it must echo back; the answer
# is the subscription with its verification (verified, or failed with verification_error).
curl -sS --fail-with-body -X POST "$KC_BASE_URL/api/v1/webhooks/$WEBHOOK_ID/verify" \
  -H "authorization: Bearer $TOKEN"
