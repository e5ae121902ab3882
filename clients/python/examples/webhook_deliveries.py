"""GET /api/v1/webhooks/{webhook_id}/deliveries: the delivery log of a subscription, newest first."""
import os

from kosher_catalog import ApiResult, Client


def webhook_deliveries(client: Client, webhook_id: str) -> ApiResult:
    log = client.list_webhook_deliveries(webhook_id, limit=20)
    for d in log["deliveries"]:
        print(d["created_at"], d["event"], d["status"], f"HTTP {d['last_status_code']}")
    return log


if __name__ == "__main__":
    webhook_deliveries(Client.from_env(), os.environ["WEBHOOK_ID"])
