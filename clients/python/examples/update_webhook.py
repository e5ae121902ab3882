"""PATCH /api/v1/webhooks/{webhook_id}: change the events (or url, filter, enabled) of a subscription."""
import os

from kosher_catalog import ApiResult, Client


def update_webhook(client: Client, webhook_id: str) -> ApiResult:
    hook = client.update_webhook(webhook_id, events=["product.created", "product.updated"])
    print(hook["id"], ",".join(hook["events"]), "enabled" if hook["enabled"] else "disabled")
    return hook


if __name__ == "__main__":
    update_webhook(Client.from_env(), os.environ["WEBHOOK_ID"])
