"""GET /api/v1/webhooks/{webhook_id}: one subscription, with its state (enabled, disabled_reason, failing_since)."""
import os

from kosher_catalog import ApiResult, Client


def get_webhook(client: Client, webhook_id: str) -> ApiResult:
    hook = client.get_webhook(webhook_id)
    if hook["enabled"]:
        print(hook["url"], "enabled", f"failing since {hook['failing_since']}" if hook["failing_since"] else "healthy")
    else:
        print(hook["url"], f"disabled ({hook['disabled_reason']}) at {hook['disabled_at']}")
    return hook


if __name__ == "__main__":
    get_webhook(Client.from_env(), os.environ["WEBHOOK_ID"])
