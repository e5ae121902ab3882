"""Typed errors. Every error the API answers carries a stable ``code`` (the body's ``error``), a ``message`` for
humans, the ``request_id`` to quote to support and the HTTP ``status``; switch on the class or on ``code``."""

from __future__ import annotations

import json
from typing import Any, Dict, Mapping, Optional, Type


class KosherCatalogError(Exception):
    """Base class of everything this client raises on purpose."""

    def __init__(
        self,
        code: str,
        message: str,
        *,
        request_id: Optional[str] = None,
        status: Optional[int] = None,
        headers: Optional[Mapping[str, str]] = None,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.request_id = request_id
        self.status = status
        self.headers: Mapping[str, str] = dict(headers or {})

    def __str__(self) -> str:
        where = f"HTTP {self.status} " if self.status is not None else ""
        rid = f" (request_id {self.request_id})" if self.request_id else ""
        return f"{where}{self.code}: {self.message}{rid}"


class TransportError(KosherCatalogError):
    """No answer: connection refused or lost, timeout, a body cut short; raised after the retries ran out."""


class ApiError(KosherCatalogError):
    """The API answered with an error status and (usually) the error body."""


class BadRequestError(ApiError):
    """400 (and 413/415): fix the request; nothing was charged."""


class InvalidBarcodeError(BadRequestError):
    """400 invalid_barcode: not 8-14 digits or a wrong GS1 check digit."""


class AuthenticationError(ApiError):
    """401: wrong client_id/api_key, or a token the client could not renew."""


class InsufficientCreditsError(ApiError):
    """402 insufficient_credits: nothing was charged or returned."""


class PermissionDeniedError(ApiError):
    """403: client disabled, IP not allowed, product out of scope, bad or foreign signed URL."""


class NotFoundError(ApiError):
    """404: no such product, variant or route."""


class ConflictError(ApiError):
    """409: an Idempotency-Key reused with another request, or one still in progress after the retries."""


class IdempotencyKeyMismatchError(ConflictError):
    """409 idempotency_key_mismatch: the key was used with another request; use a new key."""


class GoneError(ApiError):
    """410: a signed image URL already redeemed (signed_url_used) or expired (signed_url_expired)."""


class RateLimitError(ApiError):
    """429 rate_limited, raised when waiting would take longer than the client is allowed to wait."""

    @property
    def retry_after(self) -> Optional[float]:
        from ._http import retry_delay  # local import: errors must not depend on the transport at import time

        return retry_delay(self.headers)


class ServerError(ApiError):
    """5xx after the retries ran out (a billed call under its Idempotency-Key was still charged at most once)."""


class WebhookVerificationError(KosherCatalogError, ValueError):
    """A webhook request that must not be trusted: missing headers, stale timestamp or bad signature."""


_BY_CODE: Dict[str, Type[ApiError]] = {
    "invalid_barcode": InvalidBarcodeError,
    "idempotency_key_mismatch": IdempotencyKeyMismatchError,
}

_BY_STATUS: Dict[int, Type[ApiError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    402: InsufficientCreditsError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    410: GoneError,
    413: BadRequestError,
    415: BadRequestError,
    429: RateLimitError,
}

# A HEAD answer has no body, so its code can only be inferred from the status.
_CODE_OF_STATUS: Dict[int, str] = {
    400: "bad_request",
    401: "unauthenticated",
    402: "insufficient_credits",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    410: "gone",
    413: "payload_too_large",
    415: "unsupported_media_type",
    429: "rate_limited",
    503: "service_unavailable",
}


def error_from_response(status: int, headers: Mapping[str, str], body: bytes) -> ApiError:
    """Builds the typed error of an error answer: REST ``{error, message, request_id}``, the OAuth2 form
    ``{error, error_description}``, or GraphQL ``{errors: [{message, extensions: {code}}]}``."""
    code: Optional[str] = None
    message: Optional[str] = None
    request_id: Optional[str] = headers.get("x-request-id")
    parsed: Any = None
    if body:
        try:
            parsed = json.loads(body.decode("utf-8"))
        except (ValueError, UnicodeDecodeError):
            parsed = None
    if isinstance(parsed, dict):
        if isinstance(parsed.get("error"), str):
            code = parsed["error"]
            message = parsed.get("message") or parsed.get("error_description")
            request_id = parsed.get("request_id") or request_id
        elif isinstance(parsed.get("errors"), list) and parsed["errors"]:
            first = parsed["errors"][0] if isinstance(parsed["errors"][0], dict) else {}
            ext = first.get("extensions") or {}
            if isinstance(ext.get("code"), str):
                code = ext["code"].lower()
            message = first.get("message")
            billing = (parsed.get("extensions") or {}).get("billing") or {}
            request_id = billing.get("requestId") or request_id
    if code is None:
        code = _CODE_OF_STATUS.get(status, "internal_error" if status >= 500 else "http_error")
    if message is None:
        message = f"HTTP {status}"
    cls = _BY_CODE.get(code) or _BY_STATUS.get(status) or (ServerError if status >= 500 else ApiError)
    return cls(code, str(message), request_id=request_id, status=status, headers=headers)
