"""GET /api/v1/products/{barcode}: a billed read of exactly the scopes you name."""
import os

from kosher_catalog import ApiResult, Client


def get_product(client: Client, barcode: str) -> ApiResult:
    # Always send include: omitted, it means every scope and every image (the most expensive read).
    product = client.get_product(barcode, include=["product_meta", "images"], variants=["front"])
    print(product["product_meta"]["product_name"], product["images"].get("front"))
    print(f"cost {product.bill.credits_debited} credits, {product.bill.credits_remaining} left")
    return product


if __name__ == "__main__":
    get_product(Client.from_env(), os.environ.get("KC_BARCODE", "017000161563"))
