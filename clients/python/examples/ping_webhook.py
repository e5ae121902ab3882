"""POST /api/v1/webhooks/{webhook_id}/test: send a signed webhook.test ping now and see your endpoint's answer."""
import os

from kosher_catalog import ApiResult, Client


def ping_webhook(client: Client, webhook_id: str) -> ApiResult:
    ping = client.test_webhook(webhook_id)
    delivery = ping["delivery"]
    print(f"{delivery['status']}: HTTP {delivery['last_status_code']} in {delivery['latency_ms']} ms")
    return ping


if __name__ == "__main__":
    ping_webhook(Client.from_env(), os.environ["WEBHOOK_ID"])
