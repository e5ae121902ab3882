<?php
// POST /api/v1/auth/token: trade the API key for an access token (the client also does this by itself).
declare(strict_types=1);

require_once __DIR__ . '/../src/autoload.php'; // with Composer: require 'vendor/autoload.php';

use KosherCatalog\Client;
use KosherCatalog\TokenSet;

function tokenExchange(Client $client): TokenSet
{
    $tokens = $client->exchangeToken(); // refreshed before expiry and after a 401, automatically
    echo "access token valid for {$tokens->expiresIn}s\n";
    return $tokens;
}

if (realpath($_SERVER['SCRIPT_FILENAME'] ?? '') === __FILE__) {
    tokenExchange(Client::fromEnv()); // KC_BASE_URL, KC_CLIENT_ID, KC_API_KEY
}
