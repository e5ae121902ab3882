<?php
// GET /api/v1/balance: credits left and spent (free).
declare(strict_types=1);

require_once __DIR__ . '/../src/autoload.php'; // with Composer: require 'vendor/autoload.php';

use KosherCatalog\Client;
use KosherCatalog\Result;

function balance(Client $client): Result
{
    $account = $client->balance();
    echo "{$account->bill->creditsRemaining} credits left; spent today {$account['spent_today']}\n";
    return $account;
}

if (realpath($_SERVER['SCRIPT_FILENAME'] ?? '') === __FILE__) {
    balance(Client::fromEnv());
}
