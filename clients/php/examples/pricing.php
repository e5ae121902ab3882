<?php
// GET /api/v1/pricing: what each billed action costs, in credits, and the rate limits of each tier (free).
declare(strict_types=1);

require_once __DIR__ . '/../src/autoload.php'; // with Composer: require 'vendor/autoload.php';

use KosherCatalog\Client;
use KosherCatalog\Result;

function pricing(Client $client): Result
{
    $prices = $client->pricing();
    foreach ($prices['actions'] as $action => $credits) {
        echo "$action: $credits credits\n";
    }
    return $prices;
}

if (realpath($_SERVER['SCRIPT_FILENAME'] ?? '') === __FILE__) {
    pricing(Client::fromEnv());
}
