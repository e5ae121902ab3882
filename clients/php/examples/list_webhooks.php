<?php
// GET /api/v1/webhooks: this API client's subscriptions, oldest first (never their secrets; free).
declare(strict_types=1);

require_once __DIR__ . '/../src/autoload.php'; // with Composer: require 'vendor/autoload.php';

use KosherCatalog\Client;
use KosherCatalog\Result;

function listWebhooks(Client $client): Result
{
    $hooks = $client->listWebhooks();
    foreach ($hooks['webhooks'] as $hook) {
        $state = $hook['enabled'] ? 'enabled' : "disabled ({$hook['disabled_reason']})";
        echo $hook['id'], ' ', $hook['url'], ' ', implode(',', $hook['events']), ' ', $state, "\n";
    }
    return $hooks;
}

if (realpath($_SERVER['SCRIPT_FILENAME'] ?? '') === __FILE__) {
    listWebhooks(Client::fromEnv());
}
