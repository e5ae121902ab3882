<?php
// DELETE /api/v1/webhooks/{webhook_id}: end a subscription; nothing more is delivered to it (free).
declare(strict_types=1);

require_once __DIR__ . '/../src/autoload.php'; // with Composer: require 'vendor/autoload.php';

use KosherCatalog\Client;

function deleteWebhook(Client $client, string $webhookId): void
{
    $client->deleteWebhook($webhookId); // deleting twice is harmless, so a lost answer is simply retried
    echo "deleted $webhookId\n";
}

if (realpath($_SERVER['SCRIPT_FILENAME'] ?? '') === __FILE__) {
    deleteWebhook(Client::fromEnv(), getenv('WEBHOOK_ID'));
}
