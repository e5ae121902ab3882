"""Reference Python client of the kosher-catalog API (standard library only).

    from kosher_catalog import Client
    client = Client("https://api.example.com", "cl_…", "kc_live_…")
    product = client.get_product("017000161563", include=["product_meta"])
    print(product["product_meta"]["product_name"], product.bill.credits_debited)
"""

from ._version import __version__
from .client import Client, new_idempotency_key
from .errors import (
    ApiError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    GoneError,
    IdempotencyKeyMismatchError,
    InsufficientCreditsError,
    InvalidBarcodeError,
    KosherCatalogError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ServerError,
    TransportError,
    WebhookVerificationError,
)
from .models import ApiResult, Bill, BulkCheckResult, DownloadedImage, GraphQLResult, HeadResult, TokenSet
from .webhooks import verify_webhook


__all__ = [
    "__version__",
    "ApiError",
    "ApiResult",
    "AuthenticationError",
    "BadRequestError",
    "Bill",
    "BulkCheckResult",
    "Client",
    "ConflictError",
    "DownloadedImage",
    "GoneError",
    "GraphQLResult",
    "HeadResult",
    "IdempotencyKeyMismatchError",
    "InsufficientCreditsError",
    "InvalidBarcodeError",
    "KosherCatalogError",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "ServerError",
    "TokenSet",
    "TransportError",
    "WebhookVerificationError",
    "new_idempotency_key",
    "verify_webhook",
]
