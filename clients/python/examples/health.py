"""GET /api/v1/health: is the service up, with its database and cache (no token needed)."""
from kosher_catalog import ApiResult, Client


def health(client: Client) -> ApiResult:
    result = client.health()  # a dependency down: 503, raised as ServerError
    print("status:", result["status"], result["checks"])
    return result


if __name__ == "__main__":
    health(Client.from_env())
