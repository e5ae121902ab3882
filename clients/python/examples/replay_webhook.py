"""POST /api/v1/webhooks/{webhook_id}/replay: deliver again the events of a time range (e.g. after an outage)."""
import os

from kosher_catalog import ApiResult, Client


def replay_webhook(client: Client, webhook_id: str, since: str) -> ApiResult:
    replay = client.replay_webhook(webhook_id, since)  # until: now
    print(f"{replay['queued']} events queued")
    if replay["next_since"]:
        print("more to replay from", replay["next_since"])
    return replay


if __name__ == "__main__":
    replay_webhook(Client.from_env(), os.environ["WEBHOOK_ID"], os.environ["SINCE"])
