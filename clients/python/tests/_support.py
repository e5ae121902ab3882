"""Shared by the live tests: the harness's environment (test/clients/live-server.ts) and the few calls a test makes
around the client (the admin API, the proxy's control routes, the webhook sink), over plain urllib so that what
is under test is only the client."""

from __future__ import annotations

import json
import os
import random
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from typing import Any, Callable, Dict, List, Optional, Tuple, TypeVar

CLIENT_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if CLIENT_ROOT not in sys.path:
    sys.path.insert(0, CLIENT_ROOT)

T = TypeVar("T")


def env(name: str) -> str:
    """A harness variable. Missing means the suite was started by hand without the harness: say how to start it
    (a live suite never passes by skipping)."""
    value = os.environ.get(name)
    if not value:
        raise RuntimeError(
            f"{name} is not set. Run through vitest (test/clients/python-client.test.ts) or start the harness with "
            "`node --import tsx test/clients/serve.ts python` and export the variables it prints."
        )
    return value


def http_json(
    method: str, url: str, *, body: Any = None, token: Optional[str] = None, headers: Optional[Dict[str, str]] = None
) -> Tuple[int, Dict[str, str], Any]:
    data = None
    all_headers = dict(headers or {})
    if body is not None:
        data = json.dumps(body).encode("utf-8")
        all_headers["Content-Type"] = "application/json"
    if token:
        all_headers["Authorization"] = f"Bearer {token}"
    req = urllib.request.Request(url, data=data, method=method, headers=all_headers)
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            status, hdrs, raw = resp.status, resp.headers, resp.read()
    except urllib.error.HTTPError as err:
        status, hdrs, raw = err.code, err.headers, err.read()
    parsed = json.loads(raw.decode("utf-8")) if raw else None
    return status, {k.lower(): v for k, v in hdrs.items()}, parsed


def admin(method: str, path: str, body: Any = None) -> Any:
    status, _, parsed = http_json(method, env("KC_ADMIN_URL") + path, body=body, token=env("KC_ADMIN_TOKEN"))
    if status >= 300:
        raise AssertionError(f"admin {method} {path}: {status} {parsed}")
    return parsed


def with_check_digit(digits: str) -> str:
    """Appends the GS1 mod-10 check digit."""
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(digits)))
    return digits + str((10 - total % 10) % 10)


def random_barcode() -> str:
    """A valid 13-digit barcode that the seeded catalog does not have (prefix 299: in-store numbers)."""
    return with_check_digit("299" + "".join(random.choice("0123456789") for _ in range(9)))


def arm_drop(prefix: str) -> None:
    """Makes the proxy lose the answer of the next request under ``prefix`` after the app has committed it."""
    query = urllib.parse.urlencode({"path": prefix})
    status, _, parsed = http_json("POST", f"{env('KC_PROXY_CONTROL')}/__proxy/drop-next?{query}")
    if status != 200:
        raise AssertionError(f"arming the proxy: {status} {parsed}")


def arm_failure(prefix: str, status: int = 502) -> None:
    """Makes the proxy answer the next request under ``prefix`` with a gateway error after the app committed it."""
    query = urllib.parse.urlencode({"path": prefix, "status": status})
    code, _, parsed = http_json("POST", f"{env('KC_PROXY_CONTROL')}/__proxy/fail-next?{query}")
    if code != 200:
        raise AssertionError(f"arming the proxy: {code} {parsed}")


def proxy_stats() -> Dict[str, Any]:
    return http_json("GET", f"{env('KC_PROXY_CONTROL')}/__proxy/stats")[2]


def sink_records(path_prefix: str) -> List[Dict[str, Any]]:
    query = urllib.parse.urlencode({"path": path_prefix})
    return http_json("GET", f"{env('KC_WEBHOOK_SINK')}/__received?{query}")[2]


def wait_for(what: str, probe: Callable[[], Optional[T]], timeout: float = 15.0, every: float = 0.1) -> T:
    """Polls ``probe`` until it returns something, for at most ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = probe()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(every)
