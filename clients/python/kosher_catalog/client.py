"""The kosher-catalog API client (REST v1 and GraphQL), standard library only."""

from __future__ import annotations

import datetime as _dt
import http.client
import json
import logging
import os
import re
import secrets
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from typing import Any, Callable, Dict, Iterable, Iterator, List, Mapping, Optional, Sequence, Union

from . import _http
from ._version import __version__
from .errors import AuthenticationError, KosherCatalogError, TransportError, error_from_response
from .models import (
    ApiResult,
    Bill,
    BulkCheckResult,
    DownloadedImage,
    GraphQLResult,
    HeadResult,
    TokenSet,
    _Answer,
)

__all__ = ["Client"]

log = logging.getLogger("kosher_catalog")

BULK_CHECK_MAX = 500
_ListParam = Union[str, Sequence[str], None]
_SAFE_FILENAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,200}$")


def new_idempotency_key() -> str:
    """A random key in the allowed alphabet and length (20-255 visible characters): 32 url-safe characters."""
    return "kc-py-" + secrets.token_urlsafe(24)


def _csv(value: _ListParam) -> Optional[str]:
    if value is None:
        return None
    if isinstance(value, str):
        return value
    return ",".join(value)


def _flag(value: Optional[bool]) -> Optional[str]:
    return None if value is None else ("true" if value else "false")


def _iso(value: Union[str, _dt.date, _dt.datetime, None]) -> Optional[str]:
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, _dt.datetime) and value.tzinfo is None:
        # The API refuses a date-time without offset; guessing the caller's zone could skip changes.
        raise ValueError("updated_since: a datetime needs a timezone (e.g. datetime.timezone.utc)")
    return value.isoformat()


class Client:
    """A client of one API client (``client_id`` + ``api_key``).

    It exchanges the key for tokens on first use, refreshes them before they expire and once more on a 401, sends
    an ``Idempotency-Key`` on every billed call and retries timeouts, lost connections, 5xx and ``409`` +
    ``Retry-After`` under that same key (so a retry is never charged twice), and waits out ``429`` as the answer
    says. It is safe to share between threads: token renewal is serialised, because refresh tokens are single
    use and presenting one twice revokes every session of the client."""

    def __init__(
        self,
        base_url: str,
        client_id: str,
        api_key: str,
        *,
        timeout: float = 30.0,
        max_retries: int = 3,
        max_rate_limit_retries: int = 5,
        max_retry_wait: float = 60.0,
        backoff_base: float = 0.25,
        backoff_max: float = 8.0,
        user_agent: Optional[str] = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if not api_key.startswith(("kc_live_", "kc_test_")):
            raise ValueError("api_key must start with kc_live_ or kc_test_ (is this a token instead of a key?)")
        parsed = urllib.parse.urlsplit(base_url)
        if parsed.scheme not in ("http", "https") or not parsed.netloc:
            raise ValueError(f"base_url must be an absolute http(s) URL, got {base_url!r}")
        self.base_url = base_url.rstrip("/")
        self.client_id = client_id
        self._api_key = api_key
        self.timeout = timeout
        self.max_retries = max_retries
        self.max_rate_limit_retries = max_rate_limit_retries
        self.max_retry_wait = max_retry_wait
        self.backoff_base = backoff_base
        self.backoff_max = backoff_max
        self.user_agent = user_agent or f"kosher-catalog-python/{__version__}"
        self._sleep = sleep
        self._opener = _http.build_opener()
        self._tokens: Optional[TokenSet] = None
        self._token_lock = threading.Lock()

    @classmethod
    def from_env(cls, **options: Any) -> "Client":
        """A client from ``KC_BASE_URL``, ``KC_CLIENT_ID`` and ``KC_API_KEY``."""
        return cls(os.environ["KC_BASE_URL"], os.environ["KC_CLIENT_ID"], os.environ["KC_API_KEY"], **options)

    def __repr__(self) -> str:  # never the key
        return f"Client({self.base_url!r}, client_id={self.client_id!r}, mode={self.mode!r})"

    # ---- mode -------------------------------------------------------------------------------------------

    @property
    def mode(self) -> str:
        """``"test"`` for a ``kc_test_`` key (the sandbox catalog; no credit moves), else ``"live"``."""
        return "test" if self._api_key.startswith("kc_test_") else "live"

    @property
    def test_mode(self) -> bool:
        return self.mode == "test"

    # ---- tokens -----------------------------------------------------------------------------------------

    @property
    def tokens(self) -> Optional[TokenSet]:
        return self._tokens

    def exchange_token(self) -> TokenSet:
        """``POST /api/v1/auth/token``: trades the API key for a new token pair (and keeps it)."""
        with self._token_lock:
            return self._exchange()

    def refresh_tokens(self) -> TokenSet:
        """``POST /api/v1/auth/refresh``: a new pair for the current refresh token (exchanges the key when the
        refresh token is refused or its answer is lost: a refresh token is never sent twice)."""
        with self._token_lock:
            return self._renew()

    def revoke_tokens(self) -> Optional[ApiResult]:
        """``POST /api/v1/auth/revoke``: a log-out. Revokes the kept refresh token, then the kept access token, and
        forgets both (the next call exchanges the key again). The refresh token's answer (``revoked``,
        ``token_type``), or None when no token was kept."""
        with self._token_lock:
            tokens, self._tokens = self._tokens, None
        if tokens is None:
            return None
        results = [
            self._result(
                self._send(
                    "POST", "/api/v1/auth/revoke", body={"token": token, "token_type_hint": hint}, auth=False,
                    idempotency_key=new_idempotency_key(),
                )
            )
            for token, hint in ((tokens.refresh_token, "refresh_token"), (tokens.access_token, "access_token"))
        ]
        return results[0]

    def _store_tokens(self, answer: _Answer) -> TokenSet:
        body = answer.json()
        expires_in = int(body["expires_in"])
        self._tokens = TokenSet(
            access_token=body["access_token"],
            refresh_token=body["refresh_token"],
            expires_in=expires_in,
            refresh_expires_in=int(body.get("refresh_expires_in") or 0),
            expires_at=time.time() + expires_in,
            token_type=body.get("token_type", "Bearer"),
        )
        return self._tokens

    def _exchange(self) -> TokenSet:
        # A lost answer to an exchange only leaves an unused pair behind, so it may be retried like a read.
        answer = self._send(
            "POST",
            "/api/v1/auth/token",
            body={"client_id": self.client_id, "api_key": self._api_key},
            auth=False,
            retry=True,
        )
        log.debug("token exchanged", extra={"kc_event": "token_exchange"})
        return self._store_tokens(answer)

    def _renew(self) -> TokenSet:
        current = self._tokens
        if current is None:
            return self._exchange()
        try:
            # retry=False: a refresh whose answer was lost may have consumed the token on the server, and
            # presenting it again would be taken for a leak (every session of the client revoked).
            answer = self._send(
                "POST", "/api/v1/auth/refresh", body={"refresh_token": current.refresh_token}, auth=False, retry=False
            )
        except KosherCatalogError as err:
            if isinstance(err, AuthenticationError) and err.code not in ("refresh_token_invalid", "refresh_token_reused"):
                raise
            log.info("refresh failed (%s); exchanging the API key", err.code, extra={"kc_event": "refresh_fallback"})
            return self._exchange()
        log.debug("token refreshed", extra={"kc_event": "token_refresh"})
        return self._store_tokens(answer)

    def _access_token(self, stale: Optional[str] = None) -> str:
        """A token good for the next call. Renews it when it is near its end (a tenth of its lifetime, at most
        60 s, is kept in hand for clock skew and the request's own travel), or when ``stale`` (the token a 401
        refused) is still the current one; another thread may have renewed it meanwhile."""
        with self._token_lock:
            tokens = self._tokens
            if tokens is None:
                tokens = self._exchange()
            elif stale is not None and tokens.access_token == stale:
                tokens = self._renew()
            elif time.time() >= tokens.expires_at - min(60.0, tokens.expires_in / 10):
                tokens = self._renew()
            return tokens.access_token

    # ---- the request loop -------------------------------------------------------------------------------

    def _url(self, path: str, query: Optional[Mapping[str, Any]] = None) -> str:
        url = self.base_url + path
        if query:
            # A list value goes as a comma list (include=a,b): the one form every list parameter documents (a
            # repeated parameter is not read as a list on every route).
            pairs = [(k, _csv(v) if isinstance(v, (list, tuple)) else v) for k, v in query.items() if v is not None]
            if pairs:
                url += "?" + urllib.parse.urlencode(pairs)
        return url

    def _send(
        self,
        method: str,
        path: str,
        *,
        query: Optional[Mapping[str, Any]] = None,
        body: Any = None,
        auth: bool = True,
        retry: bool = True,
        idempotency_key: Optional[str] = None,
        extra_headers: Optional[Mapping[str, str]] = None,
    ) -> _Answer:
        """Sends a request until it has an answer worth returning; raises the typed error otherwise.

        ``retry`` says the request may be sent again after a lost answer or a 5xx: true for reads, for billed
        calls (they carry ``idempotency_key``, so the server replays instead of charging again) and for token
        exchange. Whatever ``retry`` says, a 429 (the request was refused before anything happened), a request
        that never reached the server, and one 401 (after renewing the token) are tried again."""
        url = self._url(path, query)
        data = None
        headers = {"Accept": "application/json", "User-Agent": self.user_agent}
        if body is not None:
            data = json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
            headers["Content-Type"] = "application/json"
        if idempotency_key is not None:
            headers["Idempotency-Key"] = idempotency_key
        if extra_headers:
            headers.update(extra_headers)
        attempts = 0
        transient = 0
        rate_limited = 0
        refused_token: Optional[str] = None
        renewed = False
        while True:
            attempts += 1
            token = None
            if auth:
                token = self._access_token(stale=refused_token)
                headers["Authorization"] = f"Bearer {token}"
            try:
                status, resp_headers, raw = _http.exchange(self._opener, method, url, data, headers, self.timeout)
            except _http.TransportFailure as failure:
                if (retry or not failure.reached) and transient < self.max_retries:
                    transient += 1
                    delay = _http.backoff(transient, self.backoff_base, self.backoff_max)
                    log.info(
                        "%s %s: %s; retry %d in %.2fs",
                        method, path, failure, transient, delay,
                        extra={"kc_event": "retry", "kc_reason": "transport", "kc_key": idempotency_key},
                    )
                    self._sleep(delay)
                    continue
                raise TransportError(
                    "transport_error", f"{method} {path}: no answer after {attempts} attempt(s): {failure}"
                ) from failure.cause
            if status == 401 and auth and not renewed:
                # One more try with a renewed token: it may have expired in flight or been revoked.
                renewed = True
                refused_token = token
                log.info("%s %s: 401; renewing the token", method, path, extra={"kc_event": "retry_401"})
                continue
            refused_token = None
            if status == 429 and rate_limited < self.max_rate_limit_retries:
                wait = _http.retry_delay(resp_headers)
                if wait is None:
                    wait = _http.backoff(rate_limited + 1, self.backoff_base * 4, self.backoff_max)
                if wait <= self.max_retry_wait:
                    rate_limited += 1
                    # A little jitter on top, so clients refused together do not all return on the same tick.
                    delay = wait + _http.backoff(1, self.backoff_base, self.backoff_max)
                    log.info(
                        "%s %s: 429; waiting %.2fs", method, path, delay,
                        extra={"kc_event": "rate_limited", "kc_wait": delay},
                    )
                    self._sleep(delay)
                    continue
            if retry and transient < self.max_retries and (
                status >= 500 or (status == 409 and "retry-after" in resp_headers)
            ):
                transient += 1
                wait = _http.retry_delay(resp_headers) or 0.0
                delay = min(self.max_retry_wait, max(wait, _http.backoff(transient, self.backoff_base, self.backoff_max)))
                log.info(
                    "%s %s: HTTP %d; retry %d in %.2fs", method, path, status, transient, delay,
                    extra={"kc_event": "retry", "kc_reason": f"http_{status}", "kc_key": idempotency_key},
                )
                self._sleep(delay)
                continue
            if status >= 300:  # redirects are not followed (see _http._NoRedirect): an answer we cannot use
                raise error_from_response(status, resp_headers, raw)
            return _Answer(status, resp_headers, raw, attempts=attempts, idempotency_key=idempotency_key)

    def _result(self, answer: _Answer) -> ApiResult:
        data = answer.json()
        bill = Bill.from_answer(answer.headers, data, idempotency_key=answer.idempotency_key, attempts=answer.attempts)
        return ApiResult(data=data, bill=bill, status=answer.status, headers=answer.headers)

    def request(
        self,
        method: str,
        path: str,
        *,
        query: Optional[Mapping[str, Any]] = None,
        body: Any = None,
        idempotency_key: Optional[str] = None,
    ) -> ApiResult:
        """Any other ``/api/v1`` route (e.g. ``PATCH /api/v1/webhooks/{id}``, ``GET /api/v1/usage``). Retried after
        a lost answer or a 5xx only for ``GET`` or when an ``idempotency_key`` is given."""
        retry = method.upper() in ("GET", "HEAD") or idempotency_key is not None
        answer = self._send(method.upper(), path, query=query, body=body, retry=retry, idempotency_key=idempotency_key)
        return self._result(answer)

    # ---- products (billed) ------------------------------------------------------------------------------

    def get_product(
        self,
        barcode: str,
        *,
        include: _ListParam = None,
        variants: _ListParam = None,
        image_size: Optional[str] = None,
        image_format: Optional[str] = None,
        idempotency_key: Optional[str] = None,
    ) -> ApiResult:
        """``GET /api/v1/products/{barcode}`` (billed). Send ``include``: omitted, it means every scope and every
        image, the most expensive read."""
        query = {
            "include": _csv(include),
            "variants": _csv(variants),
            "image_size": image_size,
            "image_format": image_format,
        }
        answer = self._send(
            "GET",
            "/api/v1/products/" + urllib.parse.quote(barcode, safe=""),
            query=query,
            idempotency_key=idempotency_key or new_idempotency_key(),
        )
        return self._result(answer)

    def head_product(self, barcode: str, *, idempotency_key: Optional[str] = None) -> HeadResult:
        """``HEAD /api/v1/products/{barcode}`` (billed ``products.head`` when it exists). A 404 is
        ``exists=False``, not an error. The answer has no body, so the bill comes from the headers."""
        key = idempotency_key or new_idempotency_key()
        try:
            answer = self._send("HEAD", "/api/v1/products/" + urllib.parse.quote(barcode, safe=""), idempotency_key=key)
        except KosherCatalogError as err:
            if err.status == 404:
                bill = Bill.from_answer(err.headers, None, idempotency_key=key, attempts=1)
                return HeadResult(exists=False, variants=[], bill=bill, status=404)
            raise
        variants = [v for v in answer.headers.get("x-available-variants", "").split(",") if v]
        bill = Bill.from_answer(answer.headers, None, idempotency_key=answer.idempotency_key, attempts=answer.attempts)
        return HeadResult(exists=True, variants=variants, bill=bill, status=answer.status)

    def bulk_check(
        self,
        barcodes: Iterable[str],
        *,
        chunk_size: int = BULK_CHECK_MAX,
        idempotency_key: Optional[str] = None,
    ) -> BulkCheckResult:
        """``POST /api/v1/products/bulk-check`` for any number of barcodes, in chunks of at most 500, each under
        its own Idempotency-Key; rows come back in the order given.

        With ``idempotency_key``, chunk ``i`` uses ``<key>.<i>``: running the same call again within 24 h (say after
        a crash halfway) replays the chunks already paid for instead of charging them again."""
        if not 1 <= chunk_size <= BULK_CHECK_MAX:
            raise ValueError(f"chunk_size must be 1..{BULK_CHECK_MAX}")
        items = list(barcodes)
        base = idempotency_key or new_idempotency_key()
        if len(base) + 1 + len(str(max(0, len(items) - 1) // chunk_size)) > 255:
            raise ValueError("idempotency_key too long to number its chunks (at most 255 characters in all)")
        results: List[Dict[str, Any]] = []
        bills: List[Bill] = []
        for index, start in enumerate(range(0, len(items), chunk_size)):
            chunk = items[start : start + chunk_size]
            answer = self._send(
                "POST",
                "/api/v1/products/bulk-check",
                body={"barcodes": chunk},
                idempotency_key=f"{base}.{index}",
            )
            result = self._result(answer)
            rows = result.data["results"]
            if len(rows) != len(chunk):
                raise KosherCatalogError(
                    "unexpected_answer", f"bulk-check answered {len(rows)} rows for {len(chunk)} barcodes",
                    request_id=result.bill.request_id, status=answer.status,
                )
            results.extend(rows)
            bills.append(result.bill)
        return BulkCheckResult(results=results, bills=bills)

    def graphql(
        self,
        query: str,
        variables: Optional[Mapping[str, Any]] = None,
        *,
        operation_name: Optional[str] = None,
        idempotency_key: Optional[str] = None,
        price_quote: bool = False,
    ) -> GraphQLResult:
        """``POST /graphql`` (billed by selection). Raises the typed error when the operation failed as a whole
        (no ``data``); field errors that come with partial data are in ``errors``. ``price_quote`` prices the
        operation without running or charging it."""
        body: Dict[str, Any] = {"query": query}
        if variables:
            body["variables"] = dict(variables)
        if operation_name:
            body["operationName"] = operation_name
        key = idempotency_key or new_idempotency_key()
        for attempt in range(2):
            used = self._tokens.access_token if self._tokens else None
            answer = self._send(
                "POST",
                "/graphql",
                body=body,
                idempotency_key=key,
                extra_headers={"X-Price-Quote": "1"} if price_quote else None,
            )
            doc = answer.json() or {}
            errors = doc.get("errors") or []
            # With Accept: application/json a refused token is HTTP 200 with UNAUTHENTICATED in the body, not the 401
            # _send renews on: renew here once (the token may have ended on the server just before our margin).
            code = (errors[0].get("extensions") or {}).get("code") if errors and isinstance(errors[0], dict) else None
            if attempt == 0 and doc.get("data") is None and code == "UNAUTHENTICATED" and used is not None:
                log.info("POST /graphql: unauthenticated; renewing the token", extra={"kc_event": "retry_401"})
                self._access_token(stale=used)
                continue
            break
        if doc.get("data") is None and errors and not price_quote:
            raise error_from_response(answer.status, answer.headers, answer.body)
        bill = Bill.from_answer(answer.headers, doc, idempotency_key=answer.idempotency_key, attempts=answer.attempts)
        return GraphQLResult(
            data=doc.get("data"), errors=errors, extensions=doc.get("extensions") or {}, bill=bill, status=answer.status
        )

    # ---- listing (free) ---------------------------------------------------------------------------------

    def list_products(
        self,
        *,
        cursor: Optional[str] = None,
        page: Optional[int] = None,
        per_page: Optional[int] = None,
        order: Optional[str] = None,
        ownership: Optional[str] = None,
        brand: Optional[str] = None,
        search: Optional[str] = None,
        min_digits: Optional[int] = None,
        has_front: Optional[bool] = None,
        hechsher: Optional[str] = None,
        kosher_for_passover: Optional[bool] = None,
        updated_since: Union[str, _dt.date, _dt.datetime, None] = None,
    ) -> ApiResult:
        """One page of ``GET /api/v1/products`` (free): ``items``, ``page_info``, ``sync_until``."""
        query = {
            "ownership": ownership,
            "brand": brand,
            "search": search,
            "min_digits": min_digits,
            "has_front": _flag(has_front),
            "hechsher": hechsher,
            "kosher_for_passover": _flag(kosher_for_passover),
            "updated_since": _iso(updated_since),
            "order": order,
            "per_page": per_page,
            "page": page,
            "cursor": cursor,
        }
        return self._result(self._send("GET", "/api/v1/products", query=query))

    def iter_pages(self, *, max_pages: Optional[int] = None, **filters: Any) -> Iterator[ApiResult]:
        """Every page of the listing, following ``next_cursor`` (same filters) until it is null. For a nightly
        sync keep the first page's ``sync_until``. ``max_pages`` stops early."""
        if "cursor" in filters or "page" in filters:
            raise TypeError("iter_pages follows the cursor itself; do not pass cursor or page")
        cursor: Optional[str] = None
        seen: set = set()
        pages = 0
        while max_pages is None or pages < max_pages:
            result = self.list_products(cursor=cursor, **filters)
            pages += 1
            yield result
            cursor = (result.data.get("page_info") or {}).get("next_cursor")
            if not cursor:
                return
            if cursor in seen:  # a server bug must not turn into an endless loop
                raise KosherCatalogError("cursor_loop", "the listing returned a cursor it had returned before")
            seen.add(cursor)

    def iter_products(self, *, max_pages: Optional[int] = None, **filters: Any) -> Iterator[Dict[str, Any]]:
        """Every listed product (summaries), page after page; takes the filters of :meth:`list_products`."""
        for page in self.iter_pages(max_pages=max_pages, **filters):
            yield from page.data["items"]

    # ---- account (free) ---------------------------------------------------------------------------------

    def balance(self) -> ApiResult:
        """``GET /api/v1/balance``: ``credits_remaining``, ``spent_today``, ``spent_this_month``."""
        return self._result(self._send("GET", "/api/v1/balance"))

    def account(self) -> ApiResult:
        """``GET /api/v1/account``: the account, this client and its live rate-limit budget."""
        return self._result(self._send("GET", "/api/v1/account"))

    def pricing(self) -> ApiResult:
        """``GET /api/v1/pricing`` (public): the rates of every billed action."""
        return self._result(self._send("GET", "/api/v1/pricing", auth=False))

    # ---- service (public) -------------------------------------------------------------------------------

    def health(self) -> ApiResult:
        """``GET /api/v1/health`` (public): ``status`` and the ``checks`` of each dependency."""
        return self._result(self._send("GET", "/api/v1/health", auth=False))

    def openapi(self) -> ApiResult:
        """``GET /api/v1/openapi.json`` (public): the API's OpenAPI document."""
        return self._result(self._send("GET", "/api/v1/openapi.json", auth=False))

    # ---- webhooks (free) --------------------------------------------------------------------------------

    def create_webhook(
        self, url: str, events: Sequence[str], *, filter: Optional[Mapping[str, Any]] = None
    ) -> ApiResult:
        """``POST /api/v1/webhooks``. The answer's ``secret`` is shown only now: store it to verify deliveries.
        Not retried after a lost answer (it could create a second subscription); list them to check."""
        body: Dict[str, Any] = {"url": url, "events": list(events)}
        if filter is not None:
            body["filter"] = dict(filter)
        return self._result(self._send("POST", "/api/v1/webhooks", body=body, retry=False))

    def list_webhooks(self) -> ApiResult:
        return self._result(self._send("GET", "/api/v1/webhooks"))

    def get_webhook(self, webhook_id: str) -> ApiResult:
        return self._result(self._send("GET", "/api/v1/webhooks/" + urllib.parse.quote(webhook_id, safe="")))

    def delete_webhook(self, webhook_id: str) -> None:
        # Deleting twice is harmless (the second is a 404 we swallow), so a lost answer may be retried.
        try:
            self._send("DELETE", "/api/v1/webhooks/" + urllib.parse.quote(webhook_id, safe=""))
        except KosherCatalogError as err:
            if err.status != 404:
                raise

    def update_webhook(
        self,
        webhook_id: str,
        *,
        url: Optional[str] = None,
        events: Optional[Sequence[str]] = None,
        filter: Optional[Mapping[str, Any]] = None,
        enabled: Optional[bool] = None,
    ) -> ApiResult:
        """``PATCH /api/v1/webhooks/{id}``: changes only what is given (a new ``url`` is verified again)."""
        body: Dict[str, Any] = {}
        if url is not None:
            body["url"] = url
        if events is not None:
            body["events"] = list(events)
        if filter is not None:
            body["filter"] = dict(filter)
        if enabled is not None:
            body["enabled"] = enabled
        if not body:
            raise ValueError("update_webhook: give url, events, filter or enabled")
        # Setting the same fields twice ends in the same state, so a lost answer may be retried.
        return self._result(self._send("PATCH", "/api/v1/webhooks/" + urllib.parse.quote(webhook_id, safe=""), body=body))

    def verify_webhook_endpoint(self, webhook_id: str) -> ApiResult:
        """``POST /api/v1/webhooks/{id}/verify``: sends the endpoint a new challenge; the subscription with its
        ``verification`` (``verified``, or ``failed`` with ``verification_error``)."""
        path = "/api/v1/webhooks/" + urllib.parse.quote(webhook_id, safe="") + "/verify"
        return self._result(self._send("POST", path, retry=False))

    def replay_webhook(self, webhook_id: str, since: str, until: Optional[str] = None) -> ApiResult:
        """``POST /api/v1/webhooks/{id}/replay``: delivers again the kept events of ``[since, until)`` (``until``
        defaults to now); ``queued``, and ``next_since`` when the range held more than one call queues."""
        body: Dict[str, Any] = {"since": since}
        if until is not None:
            body["until"] = until
        path = "/api/v1/webhooks/" + urllib.parse.quote(webhook_id, safe="") + "/replay"
        return self._result(self._send("POST", path, body=body, retry=False))

    def list_webhook_deliveries(
        self, webhook_id: str, *, limit: Optional[int] = None, status: Optional[str] = None
    ) -> ApiResult:
        """``GET /api/v1/webhooks/{id}/deliveries``: the delivery log, newest first."""
        path = "/api/v1/webhooks/" + urllib.parse.quote(webhook_id, safe="") + "/deliveries"
        return self._result(self._send("GET", path, query={"limit": limit, "status": status}))

    def test_webhook(self, webhook_id: str) -> ApiResult:
        """``POST /api/v1/webhooks/{id}/test``: sends a signed ``webhook.test`` ping and reports the answer."""
        path = "/api/v1/webhooks/" + urllib.parse.quote(webhook_id, safe="") + "/test"
        return self._result(self._send("POST", path, retry=False))

    # ---- images -----------------------------------------------------------------------------------------

    def download_image(self, url: str, dest: Union[str, "os.PathLike[str]"]) -> DownloadedImage:
        """Redeems a signed image URL and saves the image at ``dest`` (a file path, or an existing directory:
        then the server's file name ``<barcode>_<variant>.<ext>`` is used). The file appears whole or not at all.

        Signed URLs are one-shot: the first GET redeems them. So the request is sent again only when it surely
        never reached the server (connection refused); after a timeout or a broken download the URL is spent,
        and a fresh one is a new (billed) read."""
        if url.startswith("/"):
            url = self.base_url + url
        dest = os.fspath(dest)
        if not os.path.isdir(dest) and not os.path.isdir(os.path.dirname(os.path.abspath(dest))):
            # Checked before redeeming: failing afterwards would waste the one-shot URL.
            raise FileNotFoundError(f"no directory to save {dest!r} in")
        headers = {"User-Agent": self.user_agent, "Accept": "image/*"}  # no bearer: the URL is the credential
        tries = 0
        while True:
            tries += 1
            try:
                return self._redeem(url, headers, dest)
            except _http.TransportFailure as failure:
                if not failure.reached and tries <= self.max_retries:
                    self._sleep(_http.backoff(tries, self.backoff_base, self.backoff_max))
                    continue
                raise TransportError(
                    "transport_error",
                    f"image download failed ({failure}); the URL may be spent: request a new one",
                ) from failure.cause

    def _redeem(self, url: str, headers: Mapping[str, str], dest: str) -> DownloadedImage:
        req = urllib.request.Request(url, headers=dict(headers), method="GET")
        try:
            resp = self._opener.open(req, timeout=self.timeout)
        except urllib.error.HTTPError as err:
            try:
                raw = err.read()
            except (OSError, http.client.HTTPException):
                raw = b""
            finally:
                err.close()
            raise error_from_response(err.code, _http.lower_headers(err.headers), raw) from None
        except (OSError, http.client.HTTPException) as err:
            raise _http.TransportFailure(err, reached=not _http.never_reached(err)) from err
        with resp:
            resp_headers = _http.lower_headers(resp.headers)
            filename = _filename(resp_headers.get("content-disposition", ""))
            target = dest
            if os.path.isdir(dest):
                target = os.path.join(dest, filename or "image")
            directory = os.path.dirname(os.path.abspath(target))
            expected = resp_headers.get("content-length")
            size = 0
            # A hidden part file beside the target, renamed when complete: readers never see half an image.
            # (Opened with "xb" rather than mkstemp so the file gets the usual umask permissions, not 0600.)
            tmp = os.path.join(directory, f".kc-image-{secrets.token_hex(8)}.part")
            try:
                with open(tmp, "xb") as out:
                    while True:
                        chunk = resp.read(64 * 1024)
                        if not chunk:
                            break
                        out.write(chunk)
                        size += len(chunk)
                if expected is not None and expected.isdigit() and int(expected) != size:
                    raise http.client.IncompleteRead(b"", int(expected) - size)
                os.replace(tmp, target)
            except (OSError, http.client.HTTPException) as err:
                try:
                    os.unlink(tmp)
                except OSError:
                    pass
                # The response had started: the URL is redeemed. Never try it again.
                raise TransportError(
                    "transport_error", f"image download broke off after {size} bytes ({err}); the URL is spent"
                ) from err
        return DownloadedImage(
            path=target,
            content_type=resp_headers.get("content-type", ""),
            size=size,
            etag=resp_headers.get("etag"),
            filename=filename,
        )


def _filename(disposition: str) -> Optional[str]:
    """The file name of a ``Content-Disposition`` header, only when it is a plain name (no path, no dot-dot)."""
    match = re.search(r'filename="?([^";]+)"?', disposition)
    if match and _SAFE_FILENAME.match(match.group(1)) and ".." not in match.group(1):
        return match.group(1)
    return None
