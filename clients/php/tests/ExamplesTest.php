<?php

declare(strict_types=1);

namespace KosherCatalog\Tests;

use KosherCatalog\Client;
use KosherCatalog\Exception\KosherCatalogException;
use PHPUnit\Framework\TestCase;

/**
 * The examples (clients/php/examples/, rendered into the API reference as code samples) run as written against the
 * live harness, so a sample can never show a call that does not work.
 */
final class ExamplesTest extends TestCase
{
    private const DIR = __DIR__ . '/../examples';

    private Client $client;
    private string $barcode;

    public static function setUpBeforeClass(): void
    {
        foreach (glob(self::DIR . '/*.php') as $file) {
            require_once $file;
        }
    }

    protected function setUp(): void
    {
        $this->client = Client::fromEnv();
        $this->barcode = Support::env('KC_BARCODE');
    }

    /** @return array{0: mixed, 1: string} the function's value and what it printed */
    private static function capture(callable $fn, mixed ...$args): array
    {
        ob_start();
        try {
            $value = $fn(...$args);
        } finally {
            $out = (string) ob_get_clean();
        }
        return [$value, $out];
    }

    public function testEveryOperationHasAnExample(): void
    {
        $names = array_map(static fn ($f) => basename($f, '.php'), glob(self::DIR . '/*.php'));
        sort($names);
        $this->assertSame(['account', 'balance', 'bulk_check', 'create_webhook', 'delete_webhook', 'download_image', 'get_product', 'get_webhook', 'head_product', 'health', 'list_products', 'list_webhooks', 'openapi', 'ping_webhook', 'pricing', 'refresh_tokens', 'replay_webhook', 'revoke_tokens', 'token_exchange', 'update_webhook', 'usage', 'verify_webhook', 'verify_webhook_endpoint', 'webhook_deliveries'], $names);
    }

    public function testTokenExchange(): void
    {
        [$tokens, $out] = self::capture('tokenExchange', $this->client);
        $this->assertSame("access token valid for {$tokens->expiresIn}s\n", $out);
    }

    public function testHealthAndOpenApi(): void
    {
        [$health, $out] = self::capture('health', $this->client);
        $this->assertSame(['ok', "status: ok\n"], [$health['status'], $out]);
        [$document, $out] = self::capture('openApi', $this->client);
        $this->assertArrayHasKey('/api/v1/products/{barcode}', $document['paths']);
        $this->assertStringEndsWith(': ' . count($document['paths']) . " paths\n", $out);
    }

    public function testRefreshAndRevokeTokens(): void
    {
        $session = Client::fromEnv();
        $this->assertSame([false, "no session to end\n"], self::capture('revokeTokens', $session));
        $first = $session->exchangeToken();
        [$tokens, $out] = self::capture('refreshTokens', $session);
        $this->assertNotSame($first->refreshToken, $tokens->refreshToken);
        $this->assertSame("new access token, valid for {$tokens->expiresIn}s\n", $out);
        $this->assertSame([true, "logged out\n"], self::capture('revokeTokens', $session));
        $this->assertNull($session->tokens());
        try {
            Client::fromEnv()->request('POST', '/api/v1/auth/refresh', body: ['refresh_token' => $tokens->refreshToken]);
            $this->fail('a revoked refresh token was accepted');
        } catch (KosherCatalogException $e) {
            $this->assertSame('refresh_token_invalid', $e->getErrorCode());
        }
        $this->assertSame(200, $session->balance()->status); // a new session: the key is exchanged again
    }

    public function testUpdateVerifyReplayAndDeliveries(): void
    {
        $hook = $this->client->createWebhook(Support::env('KC_WEBHOOK_SINK') . '/php-example-manage-' . bin2hex(random_bytes(8)), ['product.updated']);
        try {
            [$updated, $out] = self::capture('updateWebhook', $this->client, $hook['id']);
            $this->assertSame(['product.created', 'product.updated'], $updated['events']);
            $this->assertSame("{$hook['id']} product.created,product.updated enabled\n", $out);
            [$verified, $out] = self::capture('verifyWebhookEndpoint', $this->client, $hook['id']);
            $this->assertSame(['verified', "verified at {$verified['verified_at']}\n"], [$verified['verification'], $out]);
            $this->client->testWebhook($hook['id']);
            [$log, $out] = self::capture('webhookDeliveries', $this->client, $hook['id']);
            $this->assertSame(['webhook.test'], array_column($log['deliveries'], 'event'));
            $this->assertStringContainsString(" webhook.test delivered HTTP 200\n", $out);
            // No catalog change since the subscription was made: nothing to send again.
            [$replay, $out] = self::capture('replayWebhook', $this->client, $hook['id'], $hook['created_at']);
            $this->assertSame([0, null, "0 events queued\n"], [$replay['queued'], $replay['next_since'], $out]);
        } finally {
            $this->client->deleteWebhook($hook['id']);
        }
    }

    public function testGetProduct(): void
    {
        [$product, $out] = self::capture('getProduct', $this->client, $this->barcode);
        $this->assertSame('1.3', $product->bill->creditsDebited);
        $this->assertStringContainsString('Cheerios Original', $out);
        $this->assertStringContainsString('cost 1.3 credits', $out);
    }

    public function testHeadProduct(): void
    {
        [$head, $out] = self::capture('headProduct', $this->client, $this->barcode);
        $this->assertTrue($head->exists);
        $this->assertSame("{$this->barcode}: exists=yes variants=front,back cost=0.05\n", $out);
    }

    public function testBulkCheck(): void
    {
        $barcodes = [...explode(',', Support::env('KC_BARCODES')), '123'];
        [$checked, $out] = self::capture('bulkCheck', $this->client, $barcodes);
        $this->assertSame($barcodes, array_column($checked->results, 'barcode'));
        $this->assertStringContainsString("123 invalid_barcode \n", $out);
        $this->assertStringContainsString('1 request(s)', $out);
    }

    public function testListProducts(): void
    {
        [$products, $out] = self::capture('listProducts', $this->client);
        $this->assertContains($this->barcode, array_column($products, 'barcode'));
        $this->assertCount(count($products), explode("\n", trim($out)));
    }

    public function testBalance(): void
    {
        [$result, $out] = self::capture('balance', $this->client);
        $this->assertStringStartsWith("{$result->bill->creditsRemaining} credits left", $out);
    }

    public function testAccount(): void
    {
        [$me, $out] = self::capture('account', $this->client);
        $this->assertSame([Support::env('KC_CLIENT_ID'), 'live'], [$me['client']['client_id'], $me['client']['mode']]);
        $this->assertStringContainsString("client {$me['client']['name']} (standard, live)", $out);
    }

    public function testPricing(): void
    {
        [$prices, $out] = self::capture('pricing', $this->client);
        $this->assertEquals(0.5, $prices['actions']['products.get']);
        $this->assertStringContainsString('products.get: 0.5 credits', $out);
    }

    public function testUsage(): void
    {
        $this->client->getProduct($this->barcode, include: 'product_meta'); // something billed to report
        [$report, $out] = self::capture('usage', $this->client);
        $this->assertSame(['action', 'day'], $report['group_by']);
        $this->assertContains('products.get', array_column($report['rows'], 'action'));
        $this->assertStringContainsString("total {$report['totals']['credits']} credits", $out);
    }

    public function testListPingAndDeleteAWebhook(): void
    {
        $path = '/php-example-ops-' . bin2hex(random_bytes(8));
        $url = Support::env('KC_WEBHOOK_SINK') . $path;
        $hook = $this->client->createWebhook($url, ['product.updated']);
        [$hooks, $out] = self::capture('listWebhooks', $this->client);
        $this->assertContains($hook['id'], array_column($hooks['webhooks'], 'id'));
        $this->assertStringContainsString("{$hook['id']} $url product.updated enabled", $out);
        [$got, $out] = self::capture('getWebhook', $this->client, $hook['id']);
        $this->assertSame([$hook['id'], true], [$got['id'], $got['enabled']]);
        $this->assertSame("$url enabled healthy\n", $out);
        [$ping, $out] = self::capture('pingWebhook', $this->client, $hook['id']);
        $this->assertSame(['delivered', 200], [$ping['delivery']['status'], $ping['delivery']['last_status_code']]);
        $this->assertStringStartsWith('delivered: HTTP 200 in ', $out);
        [, $out] = self::capture('deleteWebhook', $this->client, $hook['id']);
        $this->assertSame("deleted {$hook['id']}\n", $out);
        $this->assertNotContains($hook['id'], array_column($this->client->listWebhooks()['webhooks'], 'id'));
    }

    public function testDownloadImage(): void
    {
        $directory = sys_get_temp_dir() . '/kc-php-example-' . bin2hex(random_bytes(6));
        mkdir($directory);
        try {
            [$image, $out] = self::capture('downloadImage', $this->client, $this->barcode, $directory);
            $this->assertFileExists($image->path);
            $this->assertStringStartsWith("saved {$image->path} (image/jpeg", $out);
        } finally {
            array_map(static fn ($f) => unlink("$directory/$f"), array_diff(scandir($directory), ['.', '..']));
            rmdir($directory);
        }
    }

    public function testCreateWebhookAndVerifyADelivery(): void
    {
        $path = '/php-example-' . bin2hex(random_bytes(16));
        [$webhook, $out] = self::capture('createWebhook', $this->client, Support::env('KC_WEBHOOK_SINK') . $path);
        $this->assertStringContainsString($webhook['secret'], $out);
        try {
            $barcode = Support::randomBarcode();
            $hechsher = ['symbol' => 'OU', 'org' => 'Orthodox Union', 'dairy_meat_pareve' => 'pareve', 'dairy_equipment' => false, 'passover' => false, 'qualifiers' => []];
            Support::admin('PUT', "/admin/v1/products/$barcode", ['brand' => 'Harness', 'product_name' => 'Example Wafers', 'ownership' => 'Harness Studio', 'hechshers' => [$hechsher]]);
            $record = Support::waitFor("the example's delivery", static function () use ($path, $barcode) {
                foreach (Support::sinkRecords($path) as $r) {
                    if (str_contains($r['body'], $barcode)) {
                        return $r;
                    }
                }
                return null;
            });
            [$status, $out] = self::capture('handleDelivery', $webhook['secret'], $record['headers'], $record['body']);
            $this->assertSame([204, "product.created $barcode \n"], [$status, $out]);
            $forged = json_encode(['type' => 'product.created', 'data' => ['barcode' => $barcode]]);
            [$status, $out] = self::capture('handleDelivery', $webhook['secret'], $record['headers'], $forged);
            $this->assertSame([400, "rejected: webhook_bad_signature\n"], [$status, $out]);
        } finally {
            $this->client->deleteWebhook($webhook['id']);
        }
    }

    public function testAnExampleRunsAsAScriptWithOneRequireAndNoComposer(): void
    {
        // Its own PHP process: only the example's require of src/autoload.php loads the client.
        $cmd = escapeshellarg(PHP_BINARY) . ' ' . escapeshellarg(self::DIR . '/head_product.php') . ' 2>&1';
        exec($cmd, $lines, $code);
        $this->assertSame(0, $code, implode("\n", $lines));
        $this->assertSame(["{$this->barcode}: exists=yes variants=front,back cost=0.05"], $lines);
    }
}
