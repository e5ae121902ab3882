<?php
// The admin API (/admin/v1, docs/admin.md) called with PHP's curl extension: one function per operation. It is not
// part of the customer client. The API reference shows each function as its operation's PHP sample, after the code
// above the first operation; test/clients/admin-samples.test.ts runs every one of them.
declare(strict_types=1);

/**
 * One admin call: a JSON body (an array; or image bytes, a string) in, the decoded JSON (or text) answer out.
 * KC_ADMIN_URL is the API's origin, KC_ADMIN_TOKEN the server's ADMIN_TOKEN.
 *
 * @param list<string> $headers
 */
function admin(string $method, string $path, array|string|null $body = null, array $headers = []): mixed
{
    $curl = curl_init(getenv('KC_ADMIN_URL') . $path);
    $headers[] = 'Authorization: Bearer ' . getenv('KC_ADMIN_TOKEN');
    if (is_array($body)) {
        $headers[] = 'Content-Type: application/json';
        $body = json_encode((object) $body, JSON_THROW_ON_ERROR);
    }
    curl_setopt_array($curl, [CURLOPT_CUSTOMREQUEST => $method, CURLOPT_HTTPHEADER => $headers, CURLOPT_RETURNTRANSFER => true]);
    if ($body !== null) {
        curl_setopt($curl, CURLOPT_POSTFIELDS, $body);
    }
    $answer = curl_exec($curl);
    $status = curl_getinfo($curl, CURLINFO_RESPONSE_CODE);
    if ($answer === false || $status >= 300) {
        throw new RuntimeException("$method $path: HTTP $status " . ($answer === false ? curl_error($curl) : $answer));
    }
    $json = str_contains((string) curl_getinfo($curl, CURLINFO_CONTENT_TYPE), 'json');
    return $json ? json_decode($answer, true, 512, JSON_THROW_ON_ERROR) : $answer;
}

/** POST /admin/v1/accounts: open an account with its first credits (10 unless given). */
function adminCreateAccount(string $name, int|string $credits): array
{
    return admin('POST', '/admin/v1/accounts', ['name' => $name, 'credits' => $credits]);
}

/** GET /admin/v1/accounts/{account_id}: an account, its balance and its API clients (never their keys). */
function adminGetAccount(string $accountId): array
{
    return admin('GET', "/admin/v1/accounts/$accountId");
}

/** POST /admin/v1/accounts/{account_id}/clients: a new API client; its api_key is shown only in this answer. */
function adminCreateClient(string $accountId, string $name, string $tier): array
{
    return admin('POST', "/admin/v1/accounts/$accountId/clients", ['name' => $name, 'tier' => $tier]);
}

/** GET /admin/v1/accounts/{account_id}/clients: the account's API clients. */
function adminListClients(string $accountId): array
{
    return admin('GET', "/admin/v1/accounts/$accountId/clients")['clients'];
}

/** GET /admin/v1/clients/{client_id}: one API client. */
function adminGetClient(string $clientId): array
{
    return admin('GET', "/admin/v1/clients/$clientId");
}

/** PATCH /admin/v1/clients/{client_id}: change a client's controls; only the fields sent change. */
function adminUpdateClient(string $clientId, int $perMinute): array
{
    return admin('PATCH', "/admin/v1/clients/$clientId", ['limits' => ['per_minute' => $perMinute]]);
}

/** POST /admin/v1/clients/{client_id}/rotate-key: a new api_key; the previous one works for an overlap window. */
function adminRotateKey(string $clientId): array
{
    return admin('POST', "/admin/v1/clients/$clientId/rotate-key"); // ['retire_previous_now' => true] for a leak
}

/** POST /admin/v1/clients/{client_id}/revoke-sessions: end every token of the client (its keys keep working). */
function adminRevokeClientSessions(string $clientId): array
{
    return admin('POST', "/admin/v1/clients/$clientId/revoke-sessions");
}

/** POST /admin/v1/accounts/{account_id}/credits: grant credits (negative: take back), once per Idempotency-Key. */
function adminGrantCredits(string $accountId, string $amount, string $reason): array
{
    $key = bin2hex(random_bytes(16)); // keep it to retry safely: a repeat under the same key grants once
    $body = ['amount' => $amount, 'reason' => $reason];
    return admin('POST', "/admin/v1/accounts/$accountId/credits", $body, ["Idempotency-Key: $key"]);
}

/** PUT /admin/v1/pricing: set the rate of an action (credits per unit); in effect everywhere within seconds. */
function adminSetPricing(string $action, string $credits): array
{
    return admin('PUT', '/admin/v1/pricing', ['actions' => [$action => $credits]]);
}

/** POST /admin/v1/sandbox/changes: change a sandbox product, so test clients' webhooks get an event. */
function adminChangeSandboxProduct(): array
{
    return admin('POST', '/admin/v1/sandbox/changes', []); // ['barcode' => …] picks the product
}

/** PUT /admin/v1/products/{barcode}: insert or update a product's metadata. */
function adminUpsertProduct(string $barcode, array $product): array
{
    return admin('PUT', "/admin/v1/products/$barcode", $product);
}

/** PUT /admin/v1/products/{barcode}/images/{variant}: upload a studio image (JPEG or PNG file). */
function adminUploadImage(string $barcode, string $variant, string $file): array
{
    $type = str_ends_with($file, '.png') ? 'image/png' : 'image/jpeg';
    return admin('PUT', "/admin/v1/products/$barcode/images/$variant", file_get_contents($file), ["Content-Type: $type"]);
}

/** GET /admin/v1/trace/{token}: who was issued a signed image URL, when, and whether it was redeemed. */
function adminTraceImageUrl(string $signedUrl): array
{
    return admin('GET', '/admin/v1/trace/' . rawurlencode($signedUrl));
}

/** POST /admin/v1/identify: which catalog image a copy shows, and the client whose mark it carries. */
function adminIdentifyImage(string $file): array
{
    $found = admin('POST', '/admin/v1/identify', file_get_contents($file), ['Content-Type: application/octet-stream']);
    echo $found['barcode'], ' ', $found['variant'], ' ', $found['client_id'] ?? 'no mark found', "\n";
    return $found;
}

/** GET /admin/v1/metrics: this process's Prometheus metrics, as text (scrape every node). */
function adminMetrics(): string
{
    return admin('GET', '/admin/v1/metrics');
}

/** GET /admin/v1/webhooks: the webhook subscriptions of every client (or one: ?client_id=). */
function adminListWebhooks(string $clientId): array
{
    return admin('GET', '/admin/v1/webhooks?' . http_build_query(['client_id' => $clientId]))['webhooks'];
}

/** GET /admin/v1/webhooks/stats: delivery counters, cluster-wide and of the answering node. */
function adminWebhookStats(): array
{
    return admin('GET', '/admin/v1/webhooks/stats');
}

/** GET /admin/v1/webhooks/{webhook_id}: one subscription of any client, with its delivery counters. */
function adminGetWebhook(string $webhookId): array
{
    return admin('GET', "/admin/v1/webhooks/$webhookId");
}

/** POST /admin/v1/webhooks/{webhook_id}/disable: stop its deliveries; the client sees the reason. */
function adminDisableWebhook(string $webhookId, string $reason): array
{
    return admin('POST', "/admin/v1/webhooks/$webhookId/disable", ['reason' => $reason]);
}

/** POST /admin/v1/webhooks/{webhook_id}/enable: enable it again; its pending deliveries resume. */
function adminEnableWebhook(string $webhookId): array
{
    return admin('POST', "/admin/v1/webhooks/$webhookId/enable");
}

/** GET /admin/v1/webhooks/{webhook_id}/deliveries: the delivery log of any subscription, newest first. */
function adminListWebhookDeliveries(string $webhookId): array
{
    return admin('GET', "/admin/v1/webhooks/$webhookId/deliveries?limit=20")['deliveries'];
}
