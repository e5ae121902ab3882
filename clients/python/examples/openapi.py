"""GET /api/v1/openapi.json: this API's OpenAPI document, e.g. to generate a client (no token needed)."""
from kosher_catalog import ApiResult, Client


def openapi(client: Client) -> ApiResult:
    document = client.openapi()
    print(document["info"]["title"], document["info"]["version"], f"{len(document['paths'])} paths")
    return document


if __name__ == "__main__":
    openapi(Client.from_env())
