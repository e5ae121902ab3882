"""POST /api/v1/webhooks: subscribe an https endpoint to catalog changes (free)."""
import os

from kosher_catalog import ApiResult, Client


def create_webhook(client: Client, url: str) -> ApiResult:
    webhook = client.create_webhook(url, ["product.created", "product.updated"], filter={"hechsher": "OU"})
    # The secret is shown only now: store it, verify_webhook needs it for every delivery.
    print("webhook", webhook["id"], "secret", webhook["secret"])
    return webhook


if __name__ == "__main__":
    create_webhook(Client.from_env(), os.environ["WEBHOOK_URL"])
