"""What calls return: the parsed answer plus its bill."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Dict, List, Mapping, Optional


def to_credits(value: Any) -> Optional[Decimal]:
    """A credit amount as an exact Decimal. Header text is exact; a JSON number went through a float, whose
    shortest repr gives back the server's digits for any amount under about 10^11 credits."""
    if value is None or value == "":
        return None
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        return Decimal(repr(value))
    return Decimal(str(value).strip())


@dataclass(frozen=True)
class Bill:
    """What one call cost.

    ``credits_debited`` is the charge of this request: ``meta.credits_debited`` (GraphQL
    ``extensions.billing.creditsDebited``). When a retry got the stored answer of an earlier attempt of the same
    call (``replayed``), that earlier attempt paid it and ``header_credits_debited`` (``X-Credits-Debited`` of the
    last answer) is 0: the call was charged once. ``credits_remaining`` is the balance after the call
    (``X-Credits-Remaining``). ``test_mode`` is true for a test key's answers, which move no credit."""

    request_id: Optional[str]
    credits_debited: Decimal
    credits_remaining: Optional[Decimal]
    header_credits_debited: Decimal
    replayed: bool
    test_mode: bool
    idempotency_key: Optional[str]
    attempts: int

    @classmethod
    def from_answer(
        cls,
        headers: Mapping[str, str],
        body: Any,
        *,
        idempotency_key: Optional[str],
        attempts: int,
    ) -> "Bill":
        meta: Dict[str, Any] = {}
        if isinstance(body, dict):
            if isinstance(body.get("meta"), dict):
                meta = body["meta"]
            else:
                billing = (body.get("extensions") or {}).get("billing")
                if isinstance(billing, dict):
                    meta = {
                        "request_id": billing.get("requestId"),
                        "credits_debited": billing.get("creditsDebited"),
                        "credits_remaining": billing.get("creditsRemaining"),
                        "test_mode": billing.get("testMode"),
                    }
        header_debited = to_credits(headers.get("x-credits-debited")) or Decimal(0)
        debited = to_credits(meta.get("credits_debited"))
        remaining = to_credits(headers.get("x-credits-remaining"))
        if remaining is None:
            remaining = to_credits(meta.get("credits_remaining"))
        return cls(
            request_id=meta.get("request_id") or headers.get("x-request-id"),
            credits_debited=header_debited if debited is None else debited,
            credits_remaining=remaining,
            header_credits_debited=header_debited,
            replayed=headers.get("idempotency-replayed") == "1",
            test_mode=meta.get("test_mode") is True or headers.get("x-test-mode") == "1",
            idempotency_key=idempotency_key,
            attempts=attempts,
        )


@dataclass(frozen=True)
class ApiResult:
    """A successful answer: ``data`` is the JSON body, ``bill`` its cost, ``headers`` with lower-case names."""

    data: Any
    bill: Bill
    status: int
    headers: Mapping[str, str]

    def __getitem__(self, key: str) -> Any:
        return self.data[key]


@dataclass(frozen=True)
class HeadResult:
    """``HEAD /api/v1/products/{barcode}``: whether it exists and which photos it has."""

    exists: bool
    variants: List[str]
    bill: Bill
    status: int


@dataclass(frozen=True)
class BulkCheckResult:
    """One row per barcode sent, in the order sent, and one bill per chunk of at most 500."""

    results: List[Dict[str, Any]]
    bills: List[Bill]

    @property
    def credits_debited(self) -> Decimal:
        return sum((b.credits_debited for b in self.bills), Decimal(0))

    @property
    def credits_remaining(self) -> Optional[Decimal]:
        return self.bills[-1].credits_remaining if self.bills else None


@dataclass(frozen=True)
class GraphQLResult:
    """A GraphQL answer; ``errors`` holds field errors that came with (partial) data."""

    data: Any
    errors: List[Dict[str, Any]]
    extensions: Dict[str, Any]
    bill: Bill
    status: int


@dataclass(frozen=True)
class TokenSet:
    """An access token and its single-use refresh token. ``expires_at`` is Unix time by the client's clock."""

    access_token: str
    refresh_token: str
    expires_in: int
    refresh_expires_in: int
    expires_at: float
    token_type: str = "Bearer"

    def __repr__(self) -> str:  # tokens are secrets: keep them out of logs and tracebacks
        return f"TokenSet(expires_in={self.expires_in}, expires_at={self.expires_at:.0f})"


@dataclass(frozen=True)
class DownloadedImage:
    """A redeemed signed image URL, saved at ``path``."""

    path: str
    content_type: str
    size: int
    etag: Optional[str] = None
    filename: Optional[str] = None


@dataclass
class _Answer:
    """One HTTP exchange as the transport saw it (internal)."""

    status: int
    headers: Dict[str, str]
    body: bytes
    attempts: int = 1
    idempotency_key: Optional[str] = None
    _json: Any = field(default=None, repr=False)

    def json(self) -> Any:
        if self._json is None and self.body:
            self._json = json.loads(self.body.decode("utf-8"))
        return self._json
