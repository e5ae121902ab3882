<?php
// POST /api/v1/auth/revoke: log out, revoking the kept refresh and access tokens (free).
declare(strict_types=1);

require_once __DIR__ . '/../src/autoload.php'; // with Composer: require 'vendor/autoload.php';

use KosherCatalog\Client;

function revokeTokens(Client $client): bool
{
    $result = $client->revokeTokens(); // the next call exchanges the API key again
    $revoked = $result !== null && $result['revoked'];
    echo $revoked ? "logged out\n" : "no session to end\n";
    return $revoked;
}

if (realpath($_SERVER['SCRIPT_FILENAME'] ?? '') === __FILE__) {
    revokeTokens(Client::fromEnv());
}
