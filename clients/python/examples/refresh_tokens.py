"""POST /api/v1/auth/refresh: a new token pair now (the client also refreshes by itself before expiry)."""
from kosher_catalog import Client, TokenSet


def refresh_tokens(client: Client) -> TokenSet:
    tokens = client.refresh_tokens()  # the old refresh token is spent: it is never sent again
    print(f"new access token, valid for {tokens.expires_in}s")
    return tokens


if __name__ == "__main__":
    refresh_tokens(Client.from_env())
