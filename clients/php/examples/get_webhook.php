<?php
// GET /api/v1/webhooks/{webhook_id}: one subscription, with its state (enabled, disabled_reason, failing_since).
declare(strict_types=1);

require_once __DIR__ . '/../src/autoload.php'; // with Composer: require 'vendor/autoload.php';

use KosherCatalog\Client;
use KosherCatalog\Result;

function getWebhook(Client $client, string $webhookId): Result
{
    $hook = $client->getWebhook($webhookId);
    if ($hook['enabled']) {
        echo $hook['url'], ' enabled ', $hook['failing_since'] ? "failing since {$hook['failing_since']}" : 'healthy', "\n";
    } else {
        echo $hook['url'], " disabled ({$hook['disabled_reason']}) at {$hook['disabled_at']}\n";
    }
    return $hook;
}

if (realpath($_SERVER['SCRIPT_FILENAME'] ?? '') === __FILE__) {
    getWebhook(Client::fromEnv(), getenv('WEBHOOK_ID'));
}
