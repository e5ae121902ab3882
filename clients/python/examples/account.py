"""GET /api/v1/account: the account, this API client (tier, mode, scope) and its rate-limit budget (free)."""
from kosher_catalog import ApiResult, Client


def account(client: Client) -> ApiResult:
    me = client.account()
    minute = me["rate_limits"]["minute"]
    print(f"{me['account']['name']}: client {me['client']['name']} ({me['client']['tier']}, {me['client']['mode']})")
    print(f"{minute['remaining']} of {minute['limit']} requests left this minute")
    return me


if __name__ == "__main__":
    account(Client.from_env())
