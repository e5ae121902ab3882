"""POST /api/v1/webhooks/{webhook_id}/verify: send your endpoint a new challenge; it must echo it back."""
import os

from kosher_catalog import ApiResult, Client


def verify_webhook_endpoint(client: Client, webhook_id: str) -> ApiResult:
    hook = client.verify_webhook_endpoint(webhook_id)
    if hook["verification"] == "verified":
        print("verified at", hook["verified_at"])
    else:
        print(hook["verification"], hook["verification_error"])
    return hook


if __name__ == "__main__":
    verify_webhook_endpoint(Client.from_env(), os.environ["WEBHOOK_ID"])
