"""DELETE /api/v1/webhooks/{webhook_id}: end a subscription; nothing more is delivered to it (free)."""
import os

from kosher_catalog import Client


def delete_webhook(client: Client, webhook_id: str) -> None:
    client.delete_webhook(webhook_id)  # deleting twice is harmless, so a lost answer is simply retried
    print("deleted", webhook_id)


if __name__ == "__main__":
    delete_webhook(Client.from_env(), os.environ["WEBHOOK_ID"])
