"""Redeem a signed image URL (one-shot, 15 minutes, from the IP that bought it) and keep your own copy."""
import os
import tempfile

from kosher_catalog import Client, DownloadedImage


def download_image(client: Client, barcode: str, directory: str) -> DownloadedImage:
    product = client.get_product(barcode, include="images", variants="front", image_size="small")
    image = client.download_image(product["images"]["front"], directory)  # never retried once it started
    print(f"saved {image.path} ({image.content_type}, {image.size} bytes)")
    return image


if __name__ == "__main__":
    download_image(Client.from_env(), os.environ.get("KC_BARCODE", "017000161563"), tempfile.gettempdir())
