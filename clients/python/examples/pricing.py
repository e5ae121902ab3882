"""GET /api/v1/pricing: what each billed action costs, in credits, and the rate limits of each tier (free)."""
from kosher_catalog import ApiResult, Client


def pricing(client: Client) -> ApiResult:
    prices = client.pricing()
    for action, credits in sorted(prices["actions"].items()):
        print(f"{action}: {credits} credits")
    return prices


if __name__ == "__main__":
    pricing(Client.from_env())
