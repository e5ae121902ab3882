<?php
// Redeem a signed image URL (one-shot, 15 minutes, from the IP that bought it) and keep your own copy.
declare(strict_types=1);

require_once __DIR__ . '/../src/autoload.php'; // with Composer: require 'vendor/autoload.php';

use KosherCatalog\Client;
use KosherCatalog\DownloadedImage;

function downloadImage(Client $client, string $barcode, string $directory): DownloadedImage
{
    $product = $client->getProduct($barcode, include: 'images', variants: 'front', imageSize: 'small');
    $image = $client->downloadImage($product['images']['front'], $directory); // never retried once it started
    echo "saved {$image->path} ({$image->contentType}, {$image->size} bytes)\n";
    return $image;
}

if (realpath($_SERVER['SCRIPT_FILENAME'] ?? '') === __FILE__) {
    downloadImage(Client::fromEnv(), getenv('KC_BARCODE') ?: '017000161563', sys_get_temp_dir());
}
