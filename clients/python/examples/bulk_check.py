"""POST /api/v1/products/bulk-check: any number of barcodes, sent in chunks of 500, rows in the order given."""
import os
from typing import List

from kosher_catalog import BulkCheckResult, Client


def bulk_check(client: Client, barcodes: List[str]) -> BulkCheckResult:
    checked = client.bulk_check(barcodes)  # each chunk under its own Idempotency-Key, retried safely
    for row in checked.results:
        print(row["barcode"], "in catalog" if row["exists"] else row.get("error", "not found"), row["variants"])
    print(f"{len(checked.bills)} request(s), cost {checked.credits_debited} credits")
    return checked


if __name__ == "__main__":
    bulk_check(Client.from_env(), os.environ.get("KC_BARCODES", "017000161563").split(","))
