"""GET /api/v1/products: the free listing, walked page by page with its cursor (e.g. for a nightly sync)."""
from typing import Any, Dict, List

from kosher_catalog import Client


def list_products(client: Client) -> List[Dict[str, Any]]:
    products = []
    for item in client.iter_products(has_front=True, per_page=500):  # follows next_cursor until the end
        products.append(item)
        print(item["barcode"], item["brand"], item["product_name"], item["variants"])
    return products


if __name__ == "__main__":
    list_products(Client.from_env())
