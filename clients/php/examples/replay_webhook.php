<?php
// POST /api/v1/webhooks/{webhook_id}/replay: deliver again the events of a time range (e.g. after an outage).
declare(strict_types=1);

require_once __DIR__ . '/../src/autoload.php'; // with Composer: require 'vendor/autoload.php';

use KosherCatalog\Client;
use KosherCatalog\Result;

function replayWebhook(Client $client, string $webhookId, string $since): Result
{
    $replay = $client->replayWebhook($webhookId, $since); // until: now
    echo "{$replay['queued']} events queued\n";
    if ($replay['next_since'] !== null) {
        echo "more to replay from {$replay['next_since']}\n";
    }
    return $replay;
}

if (realpath($_SERVER['SCRIPT_FILENAME'] ?? '') === __FILE__) {
    replayWebhook(Client::fromEnv(), getenv('WEBHOOK_ID'), getenv('SINCE'));
}
