<?php
// GET /api/v1/products: the free listing, walked page by page with its cursor (e.g. for a nightly sync).
declare(strict_types=1);

require_once __DIR__ . '/../src/autoload.php'; // with Composer: require 'vendor/autoload.php';

use KosherCatalog\Client;

/** @return list<array<string, mixed>> */
function listProducts(Client $client): array
{
    $products = [];
    foreach ($client->iterateProducts(['has_front' => true, 'per_page' => 500]) as $item) { // follows next_cursor
        $products[] = $item;
        echo $item['barcode'], ' ', $item['brand'], ' ', $item['product_name'], ' ', implode(',', $item['variants']), "\n";
    }
    return $products;
}

if (realpath($_SERVER['SCRIPT_FILENAME'] ?? '') === __FILE__) {
    listProducts(Client::fromEnv());
}
