<?php
// PATCH /api/v1/webhooks/{webhook_id}: change the events (or url, filter, enabled) of a subscription.
declare(strict_types=1);

require_once __DIR__ . '/../src/autoload.php'; // with Composer: require 'vendor/autoload.php';

use KosherCatalog\Client;
use KosherCatalog\Result;

function updateWebhook(Client $client, string $webhookId): Result
{
    $hook = $client->updateWebhook($webhookId, ['events' => ['product.created', 'product.updated']]);
    echo $hook['id'], ' ', implode(',', $hook['events']), ' ', $hook['enabled'] ? 'enabled' : 'disabled', "\n";
    return $hook;
}

if (realpath($_SERVER['SCRIPT_FILENAME'] ?? '') === __FILE__) {
    updateWebhook(Client::fromEnv(), getenv('WEBHOOK_ID'));
}
