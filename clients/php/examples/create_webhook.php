<?php
// POST /api/v1/webhooks: subscribe an https endpoint to catalog changes (free).
declare(strict_types=1);

require_once __DIR__ . '/../src/autoload.php'; // with Composer: require 'vendor/autoload.php';

use KosherCatalog\Client;
use KosherCatalog\Result;

function createWebhook(Client $client, string $url): Result
{
    $webhook = $client->createWebhook($url, ['product.created', 'product.updated'], filter: ['hechsher' => 'OU']);
    // The secret is shown only now: store it, Webhook::verify() needs it for every delivery.
    echo "webhook {$webhook['id']} secret {$webhook['secret']}\n";
    return $webhook;
}

if (realpath($_SERVER['SCRIPT_FILENAME'] ?? '') === __FILE__) {
    createWebhook(Client::fromEnv(), getenv('WEBHOOK_URL'));
}
