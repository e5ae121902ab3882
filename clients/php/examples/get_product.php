<?php
// GET /api/v1/products/{barcode}: a billed read of exactly the scopes you name.
declare(strict_types=1);

require_once __DIR__ . '/../src/autoload.php'; // with Composer: require 'vendor/autoload.php';

use KosherCatalog\Client;
use KosherCatalog\Result;

function getProduct(Client $client, string $barcode): Result
{
    // Always send include: omitted, it means every scope and every image (the most expensive read).
    $product = $client->getProduct($barcode, include: ['product_meta', 'images'], variants: ['front']);
    echo $product['product_meta']['product_name'], ' ', $product['images']['front'] ?? '-', "\n";
    echo "cost {$product->bill->creditsDebited} credits, {$product->bill->creditsRemaining} left\n";
    return $product;
}

if (realpath($_SERVER['SCRIPT_FILENAME'] ?? '') === __FILE__) {
    getProduct(Client::fromEnv(), getenv('KC_BARCODE') ?: '017000161563');
}
