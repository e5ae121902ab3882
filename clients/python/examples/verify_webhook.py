"""Receiving a webhook: check the Standard Webhooks signature before trusting the event."""
from typing import Any, Dict, Mapping

from kosher_catalog import WebhookVerificationError, verify_webhook


def handle_delivery(secret: str, headers: Mapping[str, str], raw_body: bytes) -> int:
    try:
        event: Dict[str, Any] = verify_webhook(secret, headers, raw_body)  # the raw bytes, as received
    except WebhookVerificationError as err:
        print("rejected:", err.code)
        return 400
    print(event["type"], event["data"]["barcode"], event["data"].get("changed_fields"))
    return 204  # answer fast; dedupe on headers["webhook-id"] and do the work afterwards
