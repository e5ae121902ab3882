<?php

declare(strict_types=1);

namespace KosherCatalog\Tests;

use KosherCatalog\Client;
use KosherCatalog\Credits;
use KosherCatalog\Exception\ApiException;
use KosherCatalog\Exception\BadRequestException;
use KosherCatalog\Exception\GoneException;
use KosherCatalog\Exception\IdempotencyKeyMismatchException;
use KosherCatalog\Exception\InvalidBarcodeException;
use KosherCatalog\Exception\KosherCatalogException;
use KosherCatalog\Exception\NotFoundException;
use KosherCatalog\Exception\WebhookVerificationException;
use KosherCatalog\Webhook;
use PHPUnit\Framework\TestCase;

/**
 * The client against the real app (the live harness, test/clients/live-server.ts): tokens, retries under one
 * Idempotency-Key through a proxy that loses answers, 429s, typed errors, the listing iterator, chunked bulk checks,
 * image downloads and a real webhook delivery.
 */
final class LiveTest extends TestCase
{
    // Default rates (docs/billing.md) in units of 1/10,000 credit: the harness does not change them.
    private const GET_SCOPE = 5_000;
    private const PER_IMAGE = 8_000;
    private const HEAD = 500;
    private const BULK = 100;

    private Client $client;
    private string $barcode;
    /** @var list<string> */
    private array $barcodes;
    /** @var list<array{0: string, 1: array<string, mixed>}> */
    private array $events = [];

    protected function setUp(): void
    {
        $this->client = Client::fromEnv(['logger' => Support::recorder($this->events)]);
        $this->barcode = Support::env('KC_BARCODE');
        $this->barcodes = explode(',', Support::env('KC_BARCODES'));
    }

    private function balanceUnits(): int
    {
        return Credits::toUnits(Support::balance($this->client));
    }

    // ---- tokens ----------------------------------------------------------------------------------------------

    public function testExchangeGivesAPairAndTheModeComesFromTheKey(): void
    {
        $tokens = $this->client->exchangeToken();
        $this->assertSame((int) Support::env('KC_ACCESS_TOKEN_TTL_SEC'), $tokens->expiresIn);
        $this->assertStringStartsWith('kc_rt_', $tokens->refreshToken);
        $this->assertStringNotContainsString($tokens->accessToken, print_r($tokens, true));
        $this->assertSame('live', $this->client->mode());
        $this->assertFalse($this->client->isTestMode());
    }

    public function testAnExpiredAccessTokenIsRefreshedBeforeTheCall(): void
    {
        $this->client->balance();
        $before = $this->client->tokens();
        // Sleep just past the expiry the server set, then prove the old token is really dead there.
        usleep((int) ((max(0.0, $before->expiresAt - microtime(true)) + 0.3) * 1_000_000));
        [$status, , $body] = Support::httpJson('GET', Support::env('KC_DIRECT_URL') . '/api/v1/balance', null, $before->accessToken);
        $this->assertSame([401, 'unauthenticated'], [$status, $body['error']]);
        $this->events = [];
        $result = $this->client->balance();
        $this->assertArrayHasKey('credits_remaining', $result->data);
        $this->assertCount(1, Support::events($this->events, 'token_refresh'));
        $this->assertCount(0, Support::events($this->events, 'token_exchange'));
        $after = $this->client->tokens();
        $this->assertNotSame($before->accessToken, $after->accessToken);
        $this->assertNotSame($before->refreshToken, $after->refreshToken);
    }

    public function testA401RenewsTheTokenAndRetriesOnce(): void
    {
        $tokens = $this->client->exchangeToken();
        // Revoked server-side, still fresh by the client's clock: only the 401 can tell the client.
        [$status, , $body] = Support::httpJson('POST', Support::env('KC_DIRECT_URL') . '/api/v1/auth/revoke', ['token' => $tokens->accessToken]);
        $this->assertSame([200, true], [$status, $body['revoked']]);
        $this->events = [];
        $result = $this->client->getProduct($this->barcode, include: ['product_meta']);
        $this->assertSame('Cheerios', $result['product_meta']['brand']);
        $this->assertCount(1, Support::events($this->events, 'retry_401'));
        $this->assertCount(1, Support::events($this->events, 'token_refresh'));
        $this->assertSame(self::GET_SCOPE, Credits::toUnits($result->bill->creditsDebited));
    }

    public function testARefreshTokenRefusedFallsBackToTheApiKey(): void
    {
        $tokens = $this->client->exchangeToken();
        // Spend the refresh token behind the client's back: presenting it again would be "reuse" (every session
        // revoked), so the client must trade its API key instead, and recover.
        [$status] = Support::httpJson('POST', Support::env('KC_DIRECT_URL') . '/api/v1/auth/revoke', ['token' => $tokens->refreshToken]);
        $this->assertSame(200, $status);
        $this->events = [];
        $refreshed = $this->client->refreshTokens();
        $this->assertCount(1, Support::events($this->events, 'refresh_fallback'));
        $this->assertCount(1, Support::events($this->events, 'token_exchange'));
        $this->assertNotSame($tokens->refreshToken, $refreshed->refreshToken);
        $this->assertArrayHasKey('credits_remaining', $this->client->balance()->data);
    }

    // ---- retries ---------------------------------------------------------------------------------------------

    public function testALostAnswerIsRetriedUnderTheSameKeyAndChargedOnce(): void
    {
        $before = $this->balanceUnits();
        $dropped = Support::proxyStats()['dropped'];
        Support::armDrop("/api/v1/products/{$this->barcode}");
        $this->events = [];
        $result = $this->client->getProduct($this->barcode, include: ['product_meta', 'images'], variants: ['front']);
        $this->assertSame($dropped + 1, Support::proxyStats()['dropped']);
        $this->assertSame('Cheerios Original', $result['product_meta']['product_name']);
        $this->assertStringContainsString('/api/v1/image/', $result['images']['front']);
        $bill = $result->bill;
        $this->assertSame(2, $bill->attempts);
        $this->assertTrue($bill->replayed);
        $charge = self::GET_SCOPE + self::PER_IMAGE;
        $this->assertSame($charge, Credits::toUnits($bill->creditsDebited)); // what the call cost, paid by attempt 1
        $this->assertSame('0', $bill->headerCreditsDebited); // the replay itself charged nothing
        $retries = Support::events($this->events, 'retry');
        $this->assertCount(1, $retries);
        $this->assertSame($bill->idempotencyKey, $retries[0]['idempotency_key']);
        $this->assertSame($before - $charge, $this->balanceUnits());
        $this->assertSame($before - $charge, Credits::toUnits($bill->creditsRemaining));
    }

    public function testA5xxAfterTheDebitIsRetriedUnderTheSameKeyAndChargedOnce(): void
    {
        $barcodes = [...$this->barcodes, Support::randomBarcode()];
        $before = $this->balanceUnits();
        $failed = Support::proxyStats()['failed'];
        Support::armFailure('/api/v1/products/bulk-check', 503);
        $this->events = [];
        $result = $this->client->bulkCheck($barcodes);
        $this->assertSame($failed + 1, Support::proxyStats()['failed']);
        $this->assertSame($barcodes, array_column($result->results, 'barcode'));
        $this->assertSame(['http_503'], array_column(Support::events($this->events, 'retry'), 'reason'));
        $charge = self::BULK * count($barcodes);
        $this->assertSame([2, true], [$result->bills[0]->attempts, $result->bills[0]->replayed]);
        $this->assertSame($charge, Credits::toUnits($result->creditsDebited()));
        $this->assertSame($before - $charge, $this->balanceUnits());
    }

    public function testALostGraphqlAnswerIsChargedOnce(): void
    {
        $before = $this->balanceUnits();
        Support::armDrop('/graphql');
        $result = $this->client->graphql('query($b: Barcode!) { product(barcode: $b) { productMeta { productName } } }', ['b' => $this->barcode]);
        $this->assertSame('Cheerios Original', $result->data['product']['productMeta']['productName']);
        $this->assertSame([2, true], [$result->bill->attempts, $result->bill->replayed]);
        $this->assertSame(self::GET_SCOPE, Credits::toUnits($result->bill->creditsDebited));
        $this->assertSame($before - self::GET_SCOPE, $this->balanceUnits());
    }

    public function testAKeyReusedForAnotherRequestIsATyped409NotRetried(): void
    {
        $key = 'kc-php-test-' . bin2hex(random_bytes(16));
        $this->client->headProduct($this->barcode, $key);
        $this->client->getProduct($this->barcode, include: 'product_meta', idempotencyKey: $key); // another route: fine
        try {
            $this->client->getProduct($this->barcode, include: 'image_meta', idempotencyKey: $key);
            $this->fail('expected a 409');
        } catch (IdempotencyKeyMismatchException $e) {
            $this->assertSame([409, 'idempotency_key_mismatch'], [$e->getHttpStatus(), $e->getErrorCode()]);
        }
    }

    public function test429IsWaitedOutAndEveryCallSucceeds(): void
    {
        $events = [];
        $limited = new Client(Support::env('KC_BASE_URL'), Support::env('KC_LIMITED_CLIENT_ID'), Support::env('KC_LIMITED_API_KEY'), ['logger' => Support::recorder($events)]);
        $results = [];
        for ($i = 0; $i < 5; $i++) {
            $results[] = $limited->balance();
        }
        foreach ($results as $result) {
            $this->assertArrayHasKey('credits_remaining', $result->data);
        }
        $waits = Support::events($events, 'rate_limited');
        $this->assertGreaterThanOrEqual(1, count($waits));
        // The harness's window is 2 s: Retry-After never asks for more, so neither does the client (plus jitter).
        foreach ($waits as $wait) {
            $this->assertLessThanOrEqual(2 + 8, $wait['wait']);
        }
    }

    // ---- products --------------------------------------------------------------------------------------------

    public function testABadBarcodeIsATypedErrorAndFree(): void
    {
        $before = $this->balanceUnits();
        try {
            $this->client->getProduct('12345678', include: 'product_meta');
            $this->fail('expected invalid_barcode');
        } catch (InvalidBarcodeException $e) {
            $this->assertInstanceOf(BadRequestException::class, $e);
            $this->assertInstanceOf(ApiException::class, $e);
            $this->assertInstanceOf(KosherCatalogException::class, $e);
            $this->assertSame([400, 'invalid_barcode', 400], [$e->getHttpStatus(), $e->getErrorCode(), $e->getCode()]);
            $this->assertStringContainsString('check digit', $e->getMessage());
            $this->assertStringStartsWith('req_', (string) $e->getRequestId());
            $this->assertStringContainsString((string) $e->getRequestId(), (string) $e);
        }
        try {
            $this->client->getProduct(Support::randomBarcode(), include: 'product_meta');
            $this->fail('expected not_found');
        } catch (NotFoundException $e) {
            $this->assertSame('not_found', $e->getErrorCode());
        }
        $this->assertSame($before, $this->balanceUnits());
    }

    public function testTheBillOfARead(): void
    {
        $result = $this->client->getProduct($this->barcode, include: 'product_meta');
        $bill = $result->bill;
        $this->assertSame('0.5', $bill->creditsDebited);
        $this->assertSame('0.5', $bill->headerCreditsDebited);
        $this->assertSame([1, false, false], [$bill->attempts, $bill->replayed, $bill->testMode]);
        $this->assertSame($result['meta']['request_id'], $bill->requestId);
        $this->assertSame($result->headers['x-credits-remaining'], $bill->creditsRemaining);
        $this->assertGreaterThanOrEqual(20, strlen((string) $bill->idempotencyKey));
        $this->assertSame(['barcode', 'product_meta', 'meta'], array_keys($result->data));
    }

    public function testHead(): void
    {
        $found = $this->client->headProduct($this->barcode);
        $this->assertTrue($found->exists);
        $this->assertSame(['front', 'back'], $found->variants);
        $this->assertSame(self::HEAD, Credits::toUnits($found->bill->creditsDebited));
        $missing = $this->client->headProduct(Support::randomBarcode());
        $this->assertFalse($missing->exists);
        $this->assertSame('0', $missing->bill->creditsDebited);
    }

    public function testBulkCheckOf1001BarcodesInThreeChunksInOrder(): void
    {
        $unknown = array_map(static fn () => Support::randomBarcode(), range(1, 40));
        $invalid = ['123', '12345678'];
        $pool = array_merge($this->barcodes, $unknown, $invalid);
        $barcodes = array_map(static fn ($i) => $pool[($i * 7) % count($pool)], range(0, 1000));
        $before = $this->balanceUnits();
        $result = $this->client->bulkCheck($barcodes);
        $this->assertSame($barcodes, array_column($result->results, 'barcode'));
        foreach ($result->results as $row) {
            $this->assertSame(in_array($row['barcode'], $this->barcodes, true), $row['exists'], $row['barcode']);
            if (in_array($row['barcode'], $invalid, true)) {
                $this->assertSame('invalid_barcode', $row['error']);
            }
        }
        $this->assertCount(3, $result->bills);
        $this->assertCount(3, array_unique(array_map(static fn ($b) => $b->idempotencyKey, $result->bills)));
        // Billed per distinct valid barcode within each request (repeats in one chunk count once).
        $expected = 0;
        foreach (array_chunk($barcodes, 500) as $chunk) {
            $expected += self::BULK * count(array_unique(array_diff($chunk, $invalid)));
        }
        $this->assertSame($expected, Credits::toUnits($result->creditsDebited()));
        $this->assertSame($before - $expected, $this->balanceUnits());
        $this->assertSame($before - $expected, Credits::toUnits((string) $result->creditsRemaining()));
    }

    public function testBulkCheckWithAKeyResumesWithoutPayingAgain(): void
    {
        $barcodes = array_slice(array_merge(...array_fill(0, 100, $this->barcodes)), 0, 501);
        $key = 'kc-php-resume-' . bin2hex(random_bytes(16));
        $first = $this->client->bulkCheck($barcodes, idempotencyKey: $key);
        $before = $this->balanceUnits();
        $again = $this->client->bulkCheck($barcodes, idempotencyKey: $key);
        $this->assertSame($first->results, $again->results);
        foreach ($again->bills as $bill) {
            $this->assertTrue($bill->replayed);
            $this->assertSame('0', $bill->headerCreditsDebited);
        }
        $this->assertSame($before, $this->balanceUnits());
    }

    public function testGraphqlBillAndTypedErrors(): void
    {
        $result = $this->client->graphql('query($b: Barcode!) { product(barcode: $b) { productMeta { brand } } }', ['b' => $this->barcode]);
        $this->assertSame('Cheerios', $result->data['product']['productMeta']['brand']);
        $this->assertSame('0.5', $result->bill->creditsDebited);
        $this->assertSame($result->extensions['billing']['requestId'], $result->bill->requestId);
        try {
            $this->client->graphql('query($b: Barcode!) { product(barcode: $b) { barcode } }', ['b' => '12345678']);
            $this->fail('expected INVALID_BARCODE');
        } catch (KosherCatalogException $e) {
            $this->assertSame('invalid_barcode', $e->getErrorCode());
        }
    }

    public function testAPriceQuoteChargesNothing(): void
    {
        $before = $this->balanceUnits();
        $quote = $this->client->graphql('query($b: Barcode!) { product(barcode: $b) { productMeta { brand } imageMeta { front { width } } } }', ['b' => $this->barcode], priceQuote: true);
        $this->assertNull($quote->data);
        $this->assertTrue($quote->extensions['billing']['quote']);
        $this->assertSame(2 * self::GET_SCOPE, Credits::toUnits((string) Credits::normalize($quote->extensions['billing']['creditsQuoted'])));
        $this->assertSame('0', $quote->bill->creditsDebited);
        $this->assertSame($before, $this->balanceUnits());
    }

    public function testRequestReachesAnyOtherRoute(): void
    {
        $usage = $this->client->request('GET', '/api/v1/usage', ['group_by' => ['action', 'day']]);
        $this->assertSame(['action', 'day'], $usage['group_by']);
        $this->assertContains('products.get', array_column($usage['rows'], 'action'));
        try { // strict parameters: a typo is refused, not ignored
            $this->client->request('GET', '/api/v1/usage', ['group_byy' => 'action']);
            $this->fail('expected bad_request');
        } catch (BadRequestException $e) {
            $this->assertStringContainsString('group_byy', $e->getMessage());
        }
    }

    public function testDownloadImageRedeemsOnceAndSaves(): void
    {
        $url = $this->client->getProduct($this->barcode, include: 'images', variants: 'front')['images']['front'];
        $directory = sys_get_temp_dir() . '/kc-php-img-' . bin2hex(random_bytes(6));
        mkdir($directory);
        try {
            $image = $this->client->downloadImage($url, $directory);
            $this->assertSame("$directory/{$this->barcode}_front.jpg", $image->path);
            $this->assertSame('image/jpeg', $image->contentType);
            $data = file_get_contents($image->path);
            $this->assertSame(strlen($data), $image->size);
            $this->assertSame("\xff\xd8\xff", substr($data, 0, 3));
            try {
                $this->client->downloadImage($url, "$directory/again.jpg");
                $this->fail('a signed URL works once');
            } catch (GoneException $e) {
                $this->assertSame('signed_url_used', $e->getErrorCode());
            }
            $this->assertSame(["{$this->barcode}_front.jpg"], array_values(array_diff(scandir($directory), ['.', '..']))); // no part files left
        } finally {
            array_map(static fn ($f) => unlink("$directory/$f"), array_diff(scandir($directory), ['.', '..']));
            rmdir($directory);
        }
    }

    // ---- test mode (docs/test-mode.md) -------------------------------------------------------------------------

    public function testATestModeCallReportsItsBillAndLeavesTheBalanceUnchanged(): void
    {
        $test = new Client(Support::env('KC_BASE_URL'), Support::env('KC_TEST_CLIENT_ID'), Support::env('KC_TEST_API_KEY'));
        $this->assertSame(['test', true], [$test->mode(), $test->isTestMode()]);
        $before = $this->balanceUnits();
        // The sandbox has the documentation's barcode too (its first read may seed the sandbox: a few seconds).
        $result = $test->getProduct($this->barcode, include: 'product_meta');
        $this->assertSame($this->barcode, $result['barcode']);
        $this->assertTrue($result['meta']['test_mode']);
        $this->assertSame('1', $result->headers['x-test-mode']);
        $this->assertTrue($result->bill->testMode);
        $this->assertSame(self::GET_SCOPE, Credits::toUnits($result->bill->creditsDebited)); // what live would cost
        $this->assertSame($before, Credits::toUnits((string) $result->bill->creditsRemaining)); // the real balance, unchanged
        $gql = $test->graphql('query($b: Barcode!) { product(barcode: $b) { productMeta { brand } } }', ['b' => $this->barcode]);
        $this->assertTrue($gql->bill->testMode);
        $this->assertTrue($gql->extensions['billing']['testMode']);
        $this->assertSame(self::GET_SCOPE, Credits::toUnits($gql->bill->creditsDebited));
        $this->assertSame($before, $this->balanceUnits());
    }

    // ---- listing ---------------------------------------------------------------------------------------------

    public function testTheIteratorWalksEveryPageOnce(): void
    {
        $pages = iterator_to_array($this->client->iterateProductPages(['per_page' => 2]), false);
        $this->assertGreaterThanOrEqual(3, count($pages));
        $barcodes = [];
        foreach ($pages as $page) {
            array_push($barcodes, ...array_column($page['items'], 'barcode'));
        }
        $this->assertSame(count($barcodes), count(array_unique($barcodes)));
        $this->assertSame([], array_diff($this->barcodes, $barcodes));
        $this->assertNull(end($pages)['page_info']['next_cursor']);
        $whole = $this->client->listProducts(['per_page' => 500]);
        $this->assertSame(array_column($whole['items'], 'barcode'), $barcodes);
        $this->assertSame($barcodes, array_column(iterator_to_array($this->client->iterateProducts(['per_page' => 2]), false), 'barcode'));
    }

    public function testFilters(): void
    {
        $osem = array_column(iterator_to_array($this->client->iterateProducts(['brand' => 'Osem אסם', 'per_page' => 1]), false), 'barcode');
        sort($osem);
        $this->assertSame(['7290000066318', '7290000068701'], $osem);
        $fronts = iterator_to_array($this->client->iterateProducts(['has_front' => true, 'per_page' => 1]), false);
        $this->assertNotEmpty($fronts);
        foreach ($fronts as $item) {
            $this->assertContains('front', $item['variants']);
        }
        $this->assertCount(2, iterator_to_array($this->client->iterateProductPages(['per_page' => 1], maxPages: 2), false));
        $since = $this->client->listProducts(['updated_since' => new \DateTimeImmutable('2000-01-01T00:00:00Z')]);
        $this->assertSame([], array_diff($this->barcodes, array_column($since['items'], 'barcode')));
        $this->assertSame('updated_at', $since['page_info']['order']);
        $this->expectException(\InvalidArgumentException::class); // a typo in a filter fails before any request
        $this->client->iterateProducts(['brandd' => 'Osem'])->current();
    }

    // ---- webhooks --------------------------------------------------------------------------------------------

    /** @param array<string, string> $match @return array<string, mixed> */
    private function delivery(string $path, array $match): array
    {
        return Support::waitFor("a delivery to $path", static function () use ($path, $match) {
            foreach (Support::sinkRecords($path) as $record) {
                $event = json_decode($record['body'], true);
                $ok = true;
                foreach ($match as $k => $v) {
                    $ok = $ok && (($event[$k] ?? null) === $v || ($event['data'][$k] ?? null) === $v);
                }
                if ($ok) {
                    return $record;
                }
            }
            return null;
        });
    }

    public function testARealDeliveryVerifiesAndATamperedOneDoesNot(): void
    {
        $path = '/php-' . bin2hex(random_bytes(16));
        $created = $this->client->createWebhook(Support::env('KC_WEBHOOK_SINK') . $path, ['product.created', 'product.updated']);
        $secret = $created['secret'];
        $this->assertStringStartsWith('whsec_', $secret);
        try {
            $barcode = Support::randomBarcode();
            Support::admin('PUT', "/admin/v1/products/$barcode", ['brand' => 'Harness', 'product_name' => 'Webhook Wafers', 'ownership' => 'Harness Studio']);
            $record = $this->delivery($path, ['barcode' => $barcode, 'type' => 'product.created']);
            $event = Webhook::verify($secret, $record['headers'], $record['body']);
            $this->assertSame('product.created', $event['type']);
            $this->assertSame($barcode, $event['data']['barcode']);

            Support::admin('PUT', "/admin/v1/products/$barcode", ['brand' => 'Harness', 'product_name' => 'Webhook Wafers 2', 'ownership' => 'Harness Studio']);
            $record = $this->delivery($path, ['barcode' => $barcode, 'type' => 'product.updated']);
            $this->assertSame(['product_name'], Webhook::verify($secret, $record['headers'], $record['body'])['data']['changed_fields']);

            try {
                Webhook::verify($secret, $record['headers'], str_replace($barcode, Support::randomBarcode(), $record['body']));
                $this->fail('a tampered body must be refused');
            } catch (WebhookVerificationException $e) {
                $this->assertSame('webhook_bad_signature', $e->getErrorCode());
            }
            try {
                Webhook::verify('whsec_' . base64_encode(random_bytes(32)), $record['headers'], $record['body']);
                $this->fail('another secret must be refused');
            } catch (WebhookVerificationException $e) {
                $this->assertSame('webhook_bad_signature', $e->getErrorCode());
            }

            $ping = $this->client->testWebhook($created['id']);
            $this->assertArrayHasKey('request_id', $ping['meta']);
            $record = $this->delivery($path, ['type' => 'webhook.test']);
            $this->assertSame($created['id'], Webhook::verify($secret, $record['headers'], $record['body'])['data']['webhook_id']);
        } finally {
            $this->client->deleteWebhook($created['id']);
        }
        $this->assertNotContains($created['id'], array_column($this->client->listWebhooks()['webhooks'], 'id'));
    }
}
