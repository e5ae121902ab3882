<?php
// HEAD /api/v1/products/{barcode}: does it exist, which photos does it have (products.head; a 404 is free).
declare(strict_types=1);

require_once __DIR__ . '/../src/autoload.php'; // with Composer: require 'vendor/autoload.php';

use KosherCatalog\Client;
use KosherCatalog\HeadResult;

function headProduct(Client $client, string $barcode): HeadResult
{
    $head = $client->headProduct($barcode);
    printf("%s: exists=%s variants=%s cost=%s\n", $barcode, $head->exists ? 'yes' : 'no', implode(',', $head->variants), $head->bill->creditsDebited);
    return $head;
}

if (realpath($_SERVER['SCRIPT_FILENAME'] ?? '') === __FILE__) {
    headProduct(Client::fromEnv(), getenv('KC_BARCODE') ?: '017000161563');
}
