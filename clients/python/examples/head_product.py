"""HEAD /api/v1/products/{barcode}: does it exist, which photos does it have (products.head; a 404 is free)."""
import os

from kosher_catalog import Client, HeadResult


def head_product(client: Client, barcode: str) -> HeadResult:
    head = client.head_product(barcode)
    print(f"{barcode}: exists={head.exists} variants={head.variants} cost={head.bill.credits_debited}")
    return head


if __name__ == "__main__":
    head_product(Client.from_env(), os.environ.get("KC_BARCODE", "017000161563"))
