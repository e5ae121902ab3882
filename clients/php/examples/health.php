<?php
// GET /api/v1/health: is the service up, with its database and cache (no token needed).
declare(strict_types=1);

require_once __DIR__ . '/../src/autoload.php'; // with Composer: require 'vendor/autoload.php';

use KosherCatalog\Client;
use KosherCatalog\Result;

function health(Client $client): Result
{
    $health = $client->health(); // a dependency down: 503, thrown as a ServerException
    echo "status: {$health['status']}\n";
    return $health;
}

if (realpath($_SERVER['SCRIPT_FILENAME'] ?? '') === __FILE__) {
    health(Client::fromEnv());
}
