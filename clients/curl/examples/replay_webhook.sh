# POST /api/v1/webhooks/{webhook_id}/replay: deliver again the events since a moment (e.g. after an outage of your
# endpoint); "until" defaults to now. 202 with the number queued, and next_since when there were more.
curl -sS --fail-with-body "$KC_BASE_URL/api/v1/webhooks/$WEBHOOK_ID/replay" \
  -H "authorization: Bearer $TOKEN" -H 'content-type: application/json' -d @- <<JSON
{"since": "$SINCE"}
JSON
