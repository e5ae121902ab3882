"""GET /api/v1/balance: credits left and spent (free)."""
from kosher_catalog import ApiResult, Client


def balance(client: Client) -> ApiResult:
    account = client.balance()
    print(f"{account['credits_remaining']} credits left; spent today {account['spent_today']}")
    return account


if __name__ == "__main__":
    balance(Client.from_env())
