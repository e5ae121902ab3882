"""POST /api/v1/auth/revoke: log out, revoking the kept refresh and access tokens (free)."""
from kosher_catalog import Client


def revoke_tokens(client: Client) -> bool:
    result = client.revoke_tokens()  # the next call exchanges the API key again
    revoked = bool(result and result["revoked"])
    print("logged out" if revoked else "no session to end")
    return revoked


if __name__ == "__main__":
    revoke_tokens(Client.from_env())
