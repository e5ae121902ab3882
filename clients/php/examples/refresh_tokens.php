<?php
// POST /api/v1/auth/refresh: a new token pair now (the client also refreshes by itself before expiry).
declare(strict_types=1);

require_once __DIR__ . '/../src/autoload.php'; // with Composer: require 'vendor/autoload.php';

use KosherCatalog\Client;
use KosherCatalog\TokenSet;

function refreshTokens(Client $client): TokenSet
{
    $tokens = $client->refreshTokens(); // the old refresh token is spent: it is never sent again
    echo "new access token, valid for {$tokens->expiresIn}s\n";
    return $tokens;
}

if (realpath($_SERVER['SCRIPT_FILENAME'] ?? '') === __FILE__) {
    refreshTokens(Client::fromEnv());
}
