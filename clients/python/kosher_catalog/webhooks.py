"""Webhook signature verification per Standard Webhooks (https://www.standardwebhooks.com/)."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import time
from typing import Any, Dict, Mapping, Optional, Union

from .errors import WebhookVerificationError

DEFAULT_TOLERANCE_SEC = 300


def verify_webhook(
    secret: str,
    headers: Mapping[str, str],
    body: Union[bytes, str],
    *,
    tolerance: int = DEFAULT_TOLERANCE_SEC,
    now: Optional[float] = None,
) -> Dict[str, Any]:
    """Checks a delivery and returns its parsed event, or raises :class:`WebhookVerificationError`.

    ``secret`` is the subscription's ``whsec_…`` secret; ``headers`` the request headers (any case); ``body`` the
    raw body exactly as received (a re-serialised JSON object would not match). The signature is an HMAC-SHA-256
    over ``{webhook-id}.{webhook-timestamp}.{body}``; ``webhook-signature`` may carry several space-separated
    ``v1,<base64>`` entries (while a secret rotates) and one match is enough. Timestamps more than ``tolerance``
    seconds off are refused, so a captured request cannot be replayed later. Deliveries are at least once:
    dedupe on the ``webhook-id`` header."""
    lower = {k.lower(): v for k, v in headers.items()}
    msg_id = lower.get("webhook-id")
    timestamp = lower.get("webhook-timestamp")
    signatures = lower.get("webhook-signature")
    if not msg_id or not timestamp or not signatures:
        raise WebhookVerificationError("webhook_missing_headers", "missing webhook-id, -timestamp or -signature")
    current = time.time() if now is None else now
    if not timestamp.isdigit() or abs(current - int(timestamp)) > tolerance:
        raise WebhookVerificationError("webhook_timestamp", "webhook timestamp too old or in the future")
    encoded = secret[len("whsec_"):] if secret.startswith("whsec_") else secret
    try:
        key = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        raise WebhookVerificationError("webhook_bad_secret", "the secret is not whsec_ + base64") from None
    raw = body.encode("utf-8") if isinstance(body, str) else body
    expected = hmac.new(key, msg_id.encode("utf-8") + b"." + timestamp.encode("ascii") + b"." + raw, hashlib.sha256)
    digest = expected.digest()
    matched = False
    for entry in signatures.split(" "):
        version, _, signature = entry.partition(",")
        if version != "v1":
            continue
        try:
            got = base64.b64decode(signature, validate=True)
        except (binascii.Error, ValueError):
            continue
        # Constant time, and every entry is checked: the time taken says nothing about which one matched.
        matched = hmac.compare_digest(got, digest) or matched
    if not matched:
        raise WebhookVerificationError("webhook_bad_signature", "bad signature")
    try:
        event = json.loads(raw.decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        raise WebhookVerificationError("webhook_bad_body", "the signed body is not JSON") from None
    if not isinstance(event, dict):
        raise WebhookVerificationError("webhook_bad_body", "the signed body is not a JSON object")
    return event
