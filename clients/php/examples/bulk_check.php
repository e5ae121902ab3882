<?php
// POST /api/v1/products/bulk-check: any number of barcodes, sent in chunks of 500, rows in the order given.
declare(strict_types=1);

require_once __DIR__ . '/../src/autoload.php'; // with Composer: require 'vendor/autoload.php';

use KosherCatalog\BulkCheckResult;
use KosherCatalog\Client;

/** @param list<string> $barcodes */
function bulkCheck(Client $client, array $barcodes): BulkCheckResult
{
    $checked = $client->bulkCheck($barcodes); // each chunk under its own Idempotency-Key, retried safely
    foreach ($checked->results as $row) {
        echo $row['barcode'], ' ', $row['exists'] ? 'in catalog' : ($row['error'] ?? 'not found'), ' ', implode(',', $row['variants']), "\n";
    }
    echo count($checked->bills), " request(s), cost {$checked->creditsDebited()} credits\n";
    return $checked;
}

if (realpath($_SERVER['SCRIPT_FILENAME'] ?? '') === __FILE__) {
    bulkCheck(Client::fromEnv(), explode(',', getenv('KC_BARCODES') ?: '017000161563'));
}
