<?php
// POST /api/v1/webhooks/{webhook_id}/test: send a signed webhook.test ping now and see your endpoint's answer.
declare(strict_types=1);

require_once __DIR__ . '/../src/autoload.php'; // with Composer: require 'vendor/autoload.php';

use KosherCatalog\Client;
use KosherCatalog\Result;

function pingWebhook(Client $client, string $webhookId): Result
{
    $ping = $client->testWebhook($webhookId);
    $delivery = $ping['delivery'];
    echo "{$delivery['status']}: HTTP {$delivery['last_status_code']} in {$delivery['latency_ms']} ms\n";
    return $ping;
}

if (realpath($_SERVER['SCRIPT_FILENAME'] ?? '') === __FILE__) {
    pingWebhook(Client::fromEnv(), getenv('WEBHOOK_ID'));
}
