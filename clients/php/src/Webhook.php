<?php

declare(strict_types=1);

namespace KosherCatalog;

use KosherCatalog\Exception\WebhookVerificationException;

/** Webhook signature verification per Standard Webhooks (https://www.standardwebhooks.com/). */
final class Webhook
{
    public const DEFAULT_TOLERANCE_SEC = 300;

    /**
     * Checks a delivery and returns its parsed event, or throws WebhookVerificationException.
     *
     * $secret is the subscription's whsec_… secret; $headers the request headers (any case); $body the raw body
     * exactly as received (file_get_contents('php://input'); a re-encoded array would not match). The signature is
     * an HMAC-SHA-256 over "{webhook-id}.{webhook-timestamp}.{body}"; webhook-signature may carry several
     * space-separated "v1,<base64>" entries (while a secret rotates) and one match is enough. Timestamps more than
     * $tolerance seconds off are refused, so a captured request cannot be replayed later. Deliveries are at least
     * once: dedupe on the webhook-id header.
     *
     * @param array<string, string|list<string>> $headers
     * @return array<string, mixed>
     */
    public static function verify(
        #[\SensitiveParameter] string $secret,
        array $headers,
        string $body,
        int $tolerance = self::DEFAULT_TOLERANCE_SEC,
        ?int $now = null,
    ): array {
        $lower = [];
        foreach ($headers as $name => $value) {
            $lower[strtolower((string) $name)] = is_array($value) ? implode(' ', $value) : (string) $value;
        }
        $id = $lower['webhook-id'] ?? '';
        $timestamp = $lower['webhook-timestamp'] ?? '';
        $signatures = $lower['webhook-signature'] ?? '';
        if ($id === '' || $timestamp === '' || $signatures === '') {
            throw new WebhookVerificationException('webhook_missing_headers', 'missing webhook-id, -timestamp or -signature');
        }
        if (!ctype_digit($timestamp) || abs(($now ?? time()) - (int) $timestamp) > $tolerance) {
            throw new WebhookVerificationException('webhook_timestamp', 'webhook timestamp too old or in the future');
        }
        $key = base64_decode(str_starts_with($secret, 'whsec_') ? substr($secret, 6) : $secret, true);
        if ($key === false) {
            throw new WebhookVerificationException('webhook_bad_secret', 'the secret is not whsec_ + base64');
        }
        $expected = hash_hmac('sha256', "$id.$timestamp.$body", $key, true);
        $matched = false;
        foreach (explode(' ', $signatures) as $entry) {
            [$version, $signature] = array_pad(explode(',', $entry, 2), 2, '');
            $got = base64_decode($signature, true);
            if ($version !== 'v1' || $got === false) {
                continue;
            }
            // Constant time, and every entry is checked: the time taken says nothing about which one matched.
            $matched = hash_equals($expected, $got) || $matched;
        }
        if (!$matched) {
            throw new WebhookVerificationException('webhook_bad_signature', 'bad signature');
        }
        try {
            $event = json_decode($body, true, 512, JSON_THROW_ON_ERROR);
        } catch (\JsonException) {
            throw new WebhookVerificationException('webhook_bad_body', 'the signed body is not JSON');
        }
        if (!is_array($event) || array_is_list($event) && $event !== []) {
            throw new WebhookVerificationException('webhook_bad_body', 'the signed body is not a JSON object');
        }
        return $event;
    }
}
