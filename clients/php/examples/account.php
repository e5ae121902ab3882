<?php
// GET /api/v1/account: the account, this API client (tier, mode, scope) and its rate-limit budget (free).
declare(strict_types=1);

require_once __DIR__ . '/../src/autoload.php'; // with Composer: require 'vendor/autoload.php';

use KosherCatalog\Client;
use KosherCatalog\Result;

function account(Client $client): Result
{
    $me = $client->account();
    $minute = $me['rate_limits']['minute'];
    echo "{$me['account']['name']}: client {$me['client']['name']} ({$me['client']['tier']}, {$me['client']['mode']})\n";
    echo "{$minute['remaining']} of {$minute['limit']} requests left this minute\n";
    return $me;
}

if (realpath($_SERVER['SCRIPT_FILENAME'] ?? '') === __FILE__) {
    account(Client::fromEnv());
}
