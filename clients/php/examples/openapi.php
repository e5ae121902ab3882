<?php
// GET /api/v1/openapi.json: this API's OpenAPI document, e.g. to generate a client (no token needed).
declare(strict_types=1);

require_once __DIR__ . '/../src/autoload.php'; // with Composer: require 'vendor/autoload.php';

use KosherCatalog\Client;
use KosherCatalog\Result;

function openApi(Client $client): Result
{
    $document = $client->openApi();
    echo $document['info']['title'], ' ', $document['info']['version'], ': ', count($document['paths']), " paths\n";
    return $document;
}

if (realpath($_SERVER['SCRIPT_FILENAME'] ?? '') === __FILE__) {
    openApi(Client::fromEnv());
}
