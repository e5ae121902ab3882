"""GET /api/v1/webhooks: this API client's subscriptions, oldest first (never their secrets; free)."""
from kosher_catalog import ApiResult, Client


def list_webhooks(client: Client) -> ApiResult:
    hooks = client.list_webhooks()
    for hook in hooks["webhooks"]:
        state = "enabled" if hook["enabled"] else f"disabled ({hook['disabled_reason']})"
        print(hook["id"], hook["url"], ",".join(hook["events"]), state)
    return hooks


if __name__ == "__main__":
    list_webhooks(Client.from_env())
