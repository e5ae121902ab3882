<?php
// GET /api/v1/webhooks/{webhook_id}/deliveries: the delivery log of a subscription, newest first.
declare(strict_types=1);

require_once __DIR__ . '/../src/autoload.php'; // with Composer: require 'vendor/autoload.php';

use KosherCatalog\Client;
use KosherCatalog\Result;

function webhookDeliveries(Client $client, string $webhookId): Result
{
    $log = $client->listWebhookDeliveries($webhookId, limit: 20);
    foreach ($log['deliveries'] as $d) {
        echo "{$d['created_at']} {$d['event']} {$d['status']} HTTP {$d['last_status_code']}\n";
    }
    return $log;
}

if (realpath($_SERVER['SCRIPT_FILENAME'] ?? '') === __FILE__) {
    webhookDeliveries(Client::fromEnv(), getenv('WEBHOOK_ID'));
}
