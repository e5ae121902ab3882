"""GET /api/v1/usage: this month's requests and credits per action and day (free); from/to pick other days."""
from kosher_catalog import ApiResult, Client


def usage(client: Client) -> ApiResult:
    report = client.request("GET", "/api/v1/usage", query={"group_by": ["action", "day"]})
    for row in report["rows"]:
        print(row["day"], row["action"], f"{row['requests']} requests, {row['credits']} credits")
    print(f"total {report['totals']['credits']} credits")
    return report


if __name__ == "__main__":
    usage(Client.from_env())
