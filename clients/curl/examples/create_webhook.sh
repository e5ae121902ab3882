# POST /api/v1/webhooks: subscribe an https endpoint to catalog changes (free). Keep the secret of the answer
# (shown only now) to verify each delivery's signature.
curl -sS --fail-with-body "$KC_BASE_URL/api/v1/webhooks" \
  -H "authorization: Bearer $TOKEN" -H 'content-type: application/json' -d @- <<JSON
{"url": "$WEBHOOK_URL", "events": ["product.updated", "product.image_added"]}
JSON
