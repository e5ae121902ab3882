<?php
// POST /api/v1/webhooks/{webhook_id}/verify: send your endpoint a new challenge; it must echo it back.
declare(strict_types=1);

require_once __DIR__ . '/../src/autoload.php'; // with Composer: require 'vendor/autoload.php';

use KosherCatalog\Client;
use KosherCatalog\Result;

function verifyWebhookEndpoint(Client $client, string $webhookId): Result
{
    $hook = $client->verifyWebhookEndpoint($webhookId);
    if ($hook['verification'] === 'verified') {
        echo "verified at {$hook['verified_at']}\n";
    } else {
        echo "{$hook['verification']}: {$hook['verification_error']}\n";
    }
    return $hook;
}

if (realpath($_SERVER['SCRIPT_FILENAME'] ?? '') === __FILE__) {
    verifyWebhookEndpoint(Client::fromEnv(), getenv('WEBHOOK_ID'));
}
