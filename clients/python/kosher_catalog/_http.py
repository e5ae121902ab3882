"""One HTTP exchange over urllib, and the rules for how long to wait before another."""

from __future__ import annotations

import email.utils
import http.client
import random
import re
import socket
import time
import urllib.error
import urllib.request
from typing import Dict, Mapping, Optional, Tuple


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """The API never redirects a client route; following one would resend the bearer token (and a POST body)
    to wherever the Location points, so a redirect is handed back as the answer instead."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # type: ignore[no-untyped-def]
        return None


def build_opener() -> urllib.request.OpenerDirector:
    return urllib.request.build_opener(_NoRedirect())


class TransportFailure(Exception):
    """No complete answer. ``reached`` is False only when the request surely never got to the server
    (connection refused, name not resolved), so even a one-shot or non-idempotent request may be sent again."""

    def __init__(self, cause: BaseException, reached: bool) -> None:
        super().__init__(f"{type(cause).__name__}: {cause}")
        self.cause = cause
        self.reached = reached


def never_reached(err: BaseException) -> bool:
    reason = err.reason if isinstance(err, urllib.error.URLError) else err
    return isinstance(reason, (ConnectionRefusedError, socket.gaierror))


def lower_headers(msg: "http.client.HTTPMessage") -> Dict[str, str]:
    out: Dict[str, str] = {}
    for name in set(msg.keys()):
        out[name.lower()] = ", ".join(msg.get_all(name) or [])
    return out


def exchange(
    opener: urllib.request.OpenerDirector,
    method: str,
    url: str,
    body: Optional[bytes],
    headers: Mapping[str, str],
    timeout: float,
) -> Tuple[int, Dict[str, str], bytes]:
    """Sends one request and reads the whole answer, error statuses included (urllib raises those)."""
    req = urllib.request.Request(url, data=body, method=method, headers=dict(headers))
    try:
        with opener.open(req, timeout=timeout) as resp:
            return resp.status, lower_headers(resp.headers), resp.read()
    except urllib.error.HTTPError as err:
        try:
            return err.code, lower_headers(err.headers), err.read()
        except (OSError, http.client.HTTPException) as read_err:
            raise TransportFailure(read_err, reached=True) from read_err
        finally:
            err.close()
    except (OSError, http.client.HTTPException) as err:  # URLError, timeouts and resets are all OSErrors
        raise TransportFailure(err, reached=not never_reached(err)) from err


_RATELIMIT_ITEM = re.compile(r'"?([A-Za-z0-9_-]+)"?\s*;([^,]*)')


def retry_delay(headers: Mapping[str, str], now: Optional[float] = None) -> Optional[float]:
    """Seconds to wait before the next attempt, from the answer's headers: ``Retry-After`` (seconds or an HTTP
    date), else the IETF ``RateLimit`` field (the latest refill ``t`` among the exhausted buckets, ``r=0``),
    else ``X-RateLimit-Reset`` (an epoch second). None when the answer says nothing."""
    value = headers.get("retry-after")
    if value:
        value = value.strip()
        if value.isdigit():
            return float(value)
        try:
            when = email.utils.parsedate_to_datetime(value)
            return max(0.0, when.timestamp() - (now if now is not None else time.time()))
        except (TypeError, ValueError):
            pass
    field = headers.get("ratelimit")
    if field:
        waits = []
        for _name, params in _RATELIMIT_ITEM.findall(field):
            values = dict(p.strip().split("=", 1) for p in params.split(";") if "=" in p)
            if values.get("r") == "0" and values.get("t", "").isdigit():
                waits.append(float(values["t"]))
        if waits:
            return max(waits)
    reset = headers.get("x-ratelimit-reset")
    if reset and reset.strip().isdigit():
        return max(0.0, float(reset) - (now if now is not None else time.time()))
    return None


def backoff(attempt: int, base: float, cap: float) -> float:
    """Full jitter (a random wait up to an exponentially growing ceiling), so clients that failed together do
    not come back together."""
    return random.uniform(0, min(cap, base * (2 ** (attempt - 1))))
