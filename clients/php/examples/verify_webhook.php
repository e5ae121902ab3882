<?php
// Receiving a webhook: check the Standard Webhooks signature before trusting the event.
declare(strict_types=1);

require_once __DIR__ . '/../src/autoload.php'; // with Composer: require 'vendor/autoload.php';

use KosherCatalog\Exception\WebhookVerificationException;
use KosherCatalog\Webhook;

/** @param array<string, string> $headers */
function handleDelivery(string $secret, array $headers, string $rawBody): int
{
    try {
        $event = Webhook::verify($secret, $headers, $rawBody); // the raw body: file_get_contents('php://input')
    } catch (WebhookVerificationException $e) {
        echo 'rejected: ', $e->getErrorCode(), "\n";
        return 400;
    }
    echo $event['type'], ' ', $event['data']['barcode'], ' ', implode(',', $event['data']['changed_fields'] ?? []), "\n";
    return 204; // answer fast; dedupe on the webhook-id header and do the work afterwards
}

if (realpath($_SERVER['SCRIPT_FILENAME'] ?? '') === __FILE__) {
    http_response_code(handleDelivery(getenv('WEBHOOK_SECRET'), getallheaders(), file_get_contents('php://input')));
}
