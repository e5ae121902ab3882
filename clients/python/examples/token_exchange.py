"""POST /api/v1/auth/token: trade the API key for an access token (the client also does this by itself)."""
from kosher_catalog import Client, TokenSet


def token_exchange(client: Client) -> TokenSet:
    tokens = client.exchange_token()  # refreshed before expiry and after a 401, automatically
    print(f"access token valid for {tokens.expires_in}s")
    return tokens


if __name__ == "__main__":
    token_exchange(Client.from_env())  # KC_BASE_URL, KC_CLIENT_ID, KC_API_KEY
