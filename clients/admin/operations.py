"""The admin API (/admin/v1, docs/admin.md) called with the standard library's urllib: one function per operation.
It is not part of the customer client. The API reference shows each function as its operation's Python sample,
after the code above the first operation; test/clients/admin-samples.test.ts runs every one of them."""
import json
import os
import urllib.parse
import urllib.request
import uuid
from typing import Any, Dict, List, Optional

ADMIN_URL = os.environ["KC_ADMIN_URL"]  # the API's origin, e.g. https://api.example.com
ADMIN_TOKEN = os.environ["KC_ADMIN_TOKEN"]  # the server's ADMIN_TOKEN


def admin(method: str, path: str, body: Any = None, headers: Optional[Dict[str, str]] = None) -> Any:
    """One admin call: a JSON body (or image bytes) in, the JSON (or text) answer out; HTTPError unless 2xx."""
    all_headers = {"Authorization": f"Bearer {ADMIN_TOKEN}", **(headers or {})}
    data = body
    if body is not None and not isinstance(body, bytes):
        data = json.dumps(body).encode("utf-8")
        all_headers["Content-Type"] = "application/json"
    request = urllib.request.Request(ADMIN_URL + path, data=data, method=method, headers=all_headers)
    with urllib.request.urlopen(request, timeout=60) as response:
        text = response.read().decode("utf-8")
        return json.loads(text) if "json" in response.headers.get("Content-Type", "") else text


def admin_create_account(name: str, credits: int) -> Dict[str, Any]:
    """POST /admin/v1/accounts: open an account with its first credits (10 unless given)."""
    return admin("POST", "/admin/v1/accounts", {"name": name, "credits": credits})


def admin_get_account(account_id: str) -> Dict[str, Any]:
    """GET /admin/v1/accounts/{account_id}: an account, its balance and its API clients (never their keys)."""
    return admin("GET", f"/admin/v1/accounts/{account_id}")


def admin_create_client(account_id: str, name: str, tier: str) -> Dict[str, Any]:
    """POST /admin/v1/accounts/{account_id}/clients: a new API client; its api_key is shown only in this answer."""
    return admin("POST", f"/admin/v1/accounts/{account_id}/clients", {"name": name, "tier": tier})


def admin_list_clients(account_id: str) -> List[Dict[str, Any]]:
    """GET /admin/v1/accounts/{account_id}/clients: the account's API clients."""
    return admin("GET", f"/admin/v1/accounts/{account_id}/clients")["clients"]


def admin_get_client(client_id: str) -> Dict[str, Any]:
    """GET /admin/v1/clients/{client_id}: one API client."""
    return admin("GET", f"/admin/v1/clients/{client_id}")


def admin_update_client(client_id: str, per_minute: int) -> Dict[str, Any]:
    """PATCH /admin/v1/clients/{client_id}: change a client's controls; only the fields sent change."""
    return admin("PATCH", f"/admin/v1/clients/{client_id}", {"limits": {"per_minute": per_minute}})


def admin_rotate_key(client_id: str) -> Dict[str, Any]:
    """POST /admin/v1/clients/{client_id}/rotate-key: a new api_key; the previous one works for an overlap window."""
    return admin("POST", f"/admin/v1/clients/{client_id}/rotate-key")  # {"retire_previous_now": True} for a leak


def admin_revoke_client_sessions(client_id: str) -> Dict[str, Any]:
    """POST /admin/v1/clients/{client_id}/revoke-sessions: end every token of the client (its keys keep working)."""
    return admin("POST", f"/admin/v1/clients/{client_id}/revoke-sessions")


def admin_grant_credits(account_id: str, amount: str, reason: str) -> Dict[str, Any]:
    """POST /admin/v1/accounts/{account_id}/credits: grant credits (negative: take back), once per Idempotency-Key."""
    key = str(uuid.uuid4())  # keep it to retry safely: a repeat under the same key grants once
    body = {"amount": amount, "reason": reason}
    return admin("POST", f"/admin/v1/accounts/{account_id}/credits", body, {"Idempotency-Key": key})


def admin_set_pricing(action: str, credits: str) -> Dict[str, Any]:
    """PUT /admin/v1/pricing: set the rate of an action (credits per unit); in effect everywhere within seconds."""
    return admin("PUT", "/admin/v1/pricing", {"actions": {action: credits}})


def admin_change_sandbox_product() -> Dict[str, Any]:
    """POST /admin/v1/sandbox/changes: change a sandbox product, so test clients' webhooks get an event."""
    return admin("POST", "/admin/v1/sandbox/changes", {})  # {"barcode": ...} picks the product


def admin_upsert_product(barcode: str, product: Dict[str, Any]) -> Dict[str, Any]:
    """PUT /admin/v1/products/{barcode}: insert or update a product's metadata."""
    return admin("PUT", f"/admin/v1/products/{barcode}", product)


def admin_upload_image(barcode: str, variant: str, file: str) -> Dict[str, Any]:
    """PUT /admin/v1/products/{barcode}/images/{variant}: upload a studio image (JPEG or PNG file)."""
    content_type = "image/png" if file.endswith(".png") else "image/jpeg"
    with open(file, "rb") as f:
        image = f.read()
    return admin("PUT", f"/admin/v1/products/{barcode}/images/{variant}", image, {"Content-Type": content_type})


def admin_trace_image_url(signed_url: str) -> Dict[str, Any]:
    """GET /admin/v1/trace/{token}: who was issued a signed image URL, when, and whether it was redeemed."""
    return admin("GET", "/admin/v1/trace/" + urllib.parse.quote(signed_url, safe=""))


def admin_identify_image(file: str) -> Dict[str, Any]:
    """POST /admin/v1/identify: which catalog image a copy shows, and the client whose mark it carries."""
    with open(file, "rb") as f:
        found = admin("POST", "/admin/v1/identify", f.read(), {"Content-Type": "application/octet-stream"})
    print(found["barcode"], found["variant"], found["client_id"] or "no mark found")
    return found


def admin_metrics() -> str:
    """GET /admin/v1/metrics: this process's Prometheus metrics, as text (scrape every node)."""
    return admin("GET", "/admin/v1/metrics")


def admin_list_webhooks(client_id: str) -> List[Dict[str, Any]]:
    """GET /admin/v1/webhooks: the webhook subscriptions of every client (or one: ?client_id=)."""
    return admin("GET", "/admin/v1/webhooks?" + urllib.parse.urlencode({"client_id": client_id}))["webhooks"]


def admin_webhook_stats() -> Dict[str, Any]:
    """GET /admin/v1/webhooks/stats: delivery counters, cluster-wide and of the answering node."""
    return admin("GET", "/admin/v1/webhooks/stats")


def admin_get_webhook(webhook_id: str) -> Dict[str, Any]:
    """GET /admin/v1/webhooks/{webhook_id}: one subscription of any client, with its delivery counters."""
    return admin("GET", f"/admin/v1/webhooks/{webhook_id}")


def admin_disable_webhook(webhook_id: str, reason: str) -> Dict[str, Any]:
    """POST /admin/v1/webhooks/{webhook_id}/disable: stop its deliveries; the client sees the reason."""
    return admin("POST", f"/admin/v1/webhooks/{webhook_id}/disable", {"reason": reason})


def admin_enable_webhook(webhook_id: str) -> Dict[str, Any]:
    """POST /admin/v1/webhooks/{webhook_id}/enable: enable it again; its pending deliveries resume."""
    return admin("POST", f"/admin/v1/webhooks/{webhook_id}/enable")


def admin_list_webhook_deliveries(webhook_id: str) -> List[Dict[str, Any]]:
    """GET /admin/v1/webhooks/{webhook_id}/deliveries: the delivery log of any subscription, newest first."""
    return admin("GET", f"/admin/v1/webhooks/{webhook_id}/deliveries?limit=20")["deliveries"]
