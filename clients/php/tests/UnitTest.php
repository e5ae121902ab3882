<?php

declare(strict_types=1);

namespace KosherCatalog\Tests;

use KosherCatalog\Bill;
use KosherCatalog\Client;
use KosherCatalog\Credits;
use KosherCatalog\Exception\AuthenticationException;
use KosherCatalog\Exception\InvalidBarcodeException;
use KosherCatalog\Exception\RateLimitException;
use KosherCatalog\Exception\ServerException;
use KosherCatalog\Exception\TransportException;
use KosherCatalog\Exception\WebhookVerificationException;
use KosherCatalog\Internal\Http;
use KosherCatalog\Webhook;
use PHPUnit\Framework\TestCase;

/**
 * The client's pure rules, without a server: signature checks beyond the one real delivery of the live suite
 * (several signatures, clock tolerance, malformed input), how long a 429/503 asks to wait, the bill of an answer,
 * credit arithmetic, and the key and mode rules.
 */
final class UnitTest extends TestCase
{
    private const NOW = 1_795_687_200;
    private const BODY = '{"type":"product.updated","timestamp":"2026-11-26T10:00:00.123Z","data":{"barcode":"7290000066318"}}';

    private static function secret(string $fill = 'k'): string
    {
        return 'whsec_' . base64_encode(str_repeat($fill, 32));
    }

    private static function sign(string $secret, string $id, int $ts, string $body): string
    {
        return 'v1,' . base64_encode(hash_hmac('sha256', "$id.$ts.$body", base64_decode(substr($secret, 6)), true));
    }

    /** @return array<string, string> */
    private static function headers(string $signature, int $ts = self::NOW, string $id = 'msg_1'): array
    {
        return ['Webhook-Id' => $id, 'Webhook-Timestamp' => (string) $ts, 'Webhook-Signature' => $signature];
    }

    private function assertRefused(string $code, callable $fn): void
    {
        try {
            $fn();
            $this->fail("expected $code");
        } catch (WebhookVerificationException $e) {
            $this->assertSame($code, $e->getErrorCode());
        }
    }

    public function testAcceptsAValidSignatureWithHeadersInAnyCase(): void
    {
        $event = Webhook::verify(self::secret(), self::headers(self::sign(self::secret(), 'msg_1', self::NOW, self::BODY)), self::BODY, now: self::NOW);
        $this->assertSame('7290000066318', $event['data']['barcode']);
    }

    public function testOneMatchingEntryAmongSeveralIsEnough(): void
    {
        $value = implode(' ', [self::sign(self::secret('o'), 'msg_1', self::NOW, self::BODY), 'v2,ignored', self::sign(self::secret(), 'msg_1', self::NOW, self::BODY)]);
        $this->assertSame('product.updated', Webhook::verify(self::secret(), self::headers($value), self::BODY, now: self::NOW)['type']);
    }

    public function testRefusesTamperingAnotherSecretAndAnotherId(): void
    {
        $good = self::sign(self::secret(), 'msg_1', self::NOW, self::BODY);
        $cases = [
            [self::headers($good), str_replace('updated', 'created', self::BODY)],
            [self::headers(self::sign(self::secret('x'), 'msg_1', self::NOW, self::BODY)), self::BODY],
            [self::headers($good, id: 'msg_2'), self::BODY],
            [self::headers('v1,not-base64!'), self::BODY],
            [self::headers(str_replace('v1,', 'v2,', $good)), self::BODY],
        ];
        foreach ($cases as [$headers, $body]) {
            $this->assertRefused('webhook_bad_signature', static fn () => Webhook::verify(self::secret(), $headers, $body, now: self::NOW));
        }
    }

    public function testTimestampToleranceIsFiveMinutesEitherWay(): void
    {
        foreach ([[-300, true], [300, true], [-301, false], [301, false]] as [$offset, $ok]) {
            $ts = self::NOW + $offset;
            $headers = self::headers(self::sign(self::secret(), 'msg_1', $ts, self::BODY), $ts);
            if ($ok) {
                $this->assertIsArray(Webhook::verify(self::secret(), $headers, self::BODY, now: self::NOW));
            } else {
                $this->assertRefused('webhook_timestamp', static fn () => Webhook::verify(self::secret(), $headers, self::BODY, now: self::NOW));
            }
        }
    }

    public function testMalformedInput(): void
    {
        $this->assertRefused('webhook_missing_headers', static fn () => Webhook::verify(self::secret(), ['webhook-id' => 'msg_1'], self::BODY, now: self::NOW));
        $headers = self::headers(self::sign(self::secret(), 'msg_1', self::NOW, self::BODY));
        $headers['Webhook-Timestamp'] = '17956872e2';
        $this->assertRefused('webhook_timestamp', static fn () => Webhook::verify(self::secret(), $headers, self::BODY, now: self::NOW));
        $this->assertRefused('webhook_bad_secret', static fn () => Webhook::verify('whsec_***', self::headers('v1,x'), self::BODY, now: self::NOW));
        $this->assertRefused('webhook_bad_body', static fn () => Webhook::verify(self::secret(), self::headers(self::sign(self::secret(), 'msg_1', self::NOW, '[1,2]')), '[1,2]', now: self::NOW));
        // getallheaders() style values and arrays of values (some frameworks) are both accepted.
        $listed = array_map(static fn ($v) => [$v], self::headers(self::sign(self::secret(), 'msg_1', self::NOW, self::BODY)));
        $this->assertIsArray(Webhook::verify(self::secret(), $listed, self::BODY, now: self::NOW));
    }

    public function testRetryAfterSecondsAndDate(): void
    {
        $this->assertSame(2.0, Http::retryDelay(['retry-after' => '2']));
        $this->assertSame(7.0, Http::retryDelay(['retry-after' => gmdate('D, d M Y H:i:s \G\M\T', 1007)], 1000.0));
    }

    public function testRateLimitFieldWaitsForEveryExhaustedBucket(): void
    {
        $this->assertSame(18.0, Http::retryDelay(['ratelimit' => '"minute";r=0;t=18, "day";r=9998;t=30138']));
        $this->assertSame(400.0, Http::retryDelay(['ratelimit' => '"minute";r=0;t=3, "day";r=0;t=400']));
        $this->assertNull(Http::retryDelay(['ratelimit' => '"minute";r=5;t=3']));
        $this->assertSame(12.0, Http::retryDelay(['x-ratelimit-reset' => '1012'], 1000.0));
        $this->assertNull(Http::retryDelay([]));
        $error = Http::error(429, ['retry-after' => '120'], '{"error":"rate_limited","message":"m","request_id":"r"}');
        $this->assertInstanceOf(RateLimitException::class, $error);
        $this->assertSame(120.0, $error->getRetryAfter());
    }

    public function testAnEmptyWebhookUpdateAndAnUnkeptSessionSendNothing(): void
    {
        $client = new Client('http://127.0.0.1:9', 'cl_unit', 'kc_live_unit'); // nothing listens on port 9
        $this->assertNull($client->revokeTokens());
        $this->expectException(\InvalidArgumentException::class);
        $client->updateWebhook('wh_1', []);
    }

    public function testCodesPickClasses(): void
    {
        $rest = Http::error(400, [], '{"error":"invalid_barcode","message":"m","request_id":"req_1"}');
        $this->assertInstanceOf(InvalidBarcodeException::class, $rest);
        $this->assertSame(['invalid_barcode', 'req_1', 400], [$rest->getErrorCode(), $rest->getRequestId(), $rest->getHttpStatus()]);
        $gql = Http::error(401, ['x-request-id' => 'req_2'], '{"errors":[{"message":"no","extensions":{"code":"UNAUTHENTICATED"}}]}');
        $this->assertInstanceOf(AuthenticationException::class, $gql);
        $this->assertSame(['unauthenticated', 'req_2'], [$gql->getErrorCode(), $gql->getRequestId()]);
        $head = Http::error(503, ['x-request-id' => 'req_3'], '');
        $this->assertInstanceOf(ServerException::class, $head);
        $this->assertSame('service_unavailable', $head->getErrorCode());
    }

    public function testAReplayReportsTheFirstChargeAndNoNewOne(): void
    {
        $headers = ['x-credits-debited' => '0', 'x-credits-remaining' => '997.4', 'idempotency-replayed' => '1'];
        $body = ['meta' => ['request_id' => 'req_1', 'credits_debited' => 2.6, 'credits_remaining' => 997.4]];
        $bill = Bill::fromAnswer($headers, $body, str_repeat('k', 20), 2);
        $this->assertSame(['2.6', '0', '997.4', true, false], [$bill->creditsDebited, $bill->headerCreditsDebited, $bill->creditsRemaining, $bill->replayed, $bill->testMode]);
    }

    public function testTestModeFromMetaOrHeader(): void
    {
        $this->assertTrue(Bill::fromAnswer([], ['meta' => ['test_mode' => true]], null, 1)->testMode);
        $this->assertTrue(Bill::fromAnswer(['x-test-mode' => '1'], null, null, 1)->testMode);
        $bill = Bill::fromAnswer([], ['extensions' => ['billing' => ['requestId' => 'req_9', 'creditsDebited' => 0.5, 'creditsRemaining' => 9.5]]], null, 1);
        $this->assertSame(['req_9', '0.5', '9.5'], [$bill->requestId, $bill->creditsDebited, $bill->creditsRemaining]);
    }

    public function testCreditArithmeticIsExact(): void
    {
        $this->assertSame(26_000, Credits::toUnits('2.6'));
        $this->assertSame(-5, Credits::toUnits('-0.0005'));
        $this->assertSame('999999999999.9999', Credits::fromUnits(Credits::toUnits('999999999999.9999')));
        $this->assertSame('0.3', Credits::fromUnits(Credits::toUnits('0.1') + Credits::toUnits('0.2')));
        $this->assertSame('2.6', Credits::normalize(2.6));
        $this->assertSame('0', Credits::normalize(0));
        $this->expectException(\InvalidArgumentException::class);
        Credits::toUnits('1e3');
    }

    public function testModeFollowsTheKeyPrefix(): void
    {
        $this->assertSame('test', (new Client('http://x', 'cl_1', 'kc_test_abc'))->mode());
        $this->assertTrue((new Client('http://x', 'cl_1', 'kc_test_abc'))->isTestMode());
        $this->assertSame('live', (new Client('http://x', 'cl_1', 'kc_live_abc'))->mode());
        $this->assertStringNotContainsString('kc_live_abc', print_r(new Client('http://x', 'cl_1', 'kc_live_abc'), true));
        foreach ([['http://x', 'kc_rt_abc'], ['x.example', 'kc_live_abc']] as [$url, $key]) {
            try {
                new Client($url, 'cl_1', $key);
                $this->fail("accepted $url $key");
            } catch (\InvalidArgumentException) {
                $this->addToAssertionCount(1);
            }
        }
    }

    public function testIdempotencyKeysAreRandomVisibleAsciiOfAllowedLength(): void
    {
        $keys = array_map(static fn () => Client::newIdempotencyKey(), range(1, 100));
        $this->assertCount(100, array_unique($keys));
        foreach ($keys as $key) {
            $this->assertMatchesRegularExpression('/^[!-~]{20,255}$/', $key);
        }
    }

    /**
     * A server that takes the connection and never answers (a listening socket nobody accepts from: the kernel
     * completes the handshake and buffers the request). The harness's proxy can only lose answers, not stall them.
     *
     * @param list<array{0: string, 1: array<string, mixed>}> $events filled by the client's logger
     * @return array{0: resource, 1: Client}
     */
    private function silentServer(array &$events): array
    {
        $server = stream_socket_server('tcp://127.0.0.1:0', $errno, $error);
        $this->assertIsResource($server, $error);
        $client = new Client('http://' . stream_socket_get_name($server, false), 'cl_1', 'kc_live_abc', ['timeout' => 0.2, 'maxRetries' => 2, 'backoffBase' => 0.01, 'logger' => Support::recorder($events)]);
        // A token the client believes in, so the billed call itself is what times out.
        (fn () => $this->tokens = new \KosherCatalog\TokenSet('at', 'rt', 3600, 0, microtime(true) + 3600))->call($client);
        return [$server, $client];
    }

    /** How many connections the client opened: each waits in the backlog until accepted here. @param resource $server */
    private static function connections($server): int
    {
        for ($count = 0; ($conn = @stream_socket_accept($server, 0)) !== false; $count++) {
            fclose($conn);
        }
        return $count;
    }

    public function testABilledCallThatTimesOutIsRetriedUnderOneKeyThenThrows(): void
    {
        $events = [];
        [$server, $client] = $this->silentServer($events);
        try {
            $client->getProduct('017000161563', include: 'product_meta');
            $this->fail('expected a TransportException');
        } catch (TransportException $e) {
            $this->assertSame('transport_error', $e->getErrorCode());
            $this->assertStringContainsString('3 attempt(s)', $e->getMessage());
        }
        $retries = Support::events($events, 'retry');
        $this->assertCount(2, $retries);
        $this->assertCount(1, array_unique(array_column($retries, 'idempotency_key')));
        $this->assertSame(3, self::connections($server));
        fclose($server);
    }

    public function testAnImageDownloadThatTimesOutIsNotSentAgain(): void
    {
        $events = [];
        [$server, $client] = $this->silentServer($events);
        $directory = sys_get_temp_dir() . '/kc-php-timeout-' . bin2hex(random_bytes(6));
        mkdir($directory);
        try {
            $client->downloadImage('http://' . stream_socket_get_name($server, false) . '/api/v1/image/x', $directory);
            $this->fail('expected a TransportException');
        } catch (TransportException) {
            $this->assertSame(['.', '..'], scandir($directory));
        } finally {
            rmdir($directory);
        }
        $this->assertSame(1, self::connections($server)); // the server may have redeemed it: never a second GET
        fclose($server);
    }

    public function testBulkCheckInputRules(): void
    {
        $client = new Client('http://127.0.0.1:9', 'cl_1', 'kc_live_abc');
        $this->assertSame([], $client->bulkCheck([])->results); // nothing to check: no request at all
        foreach ([fn () => $client->bulkCheck(['017000161563'], 501), fn () => $client->bulkCheck(['017000161563'], idempotencyKey: str_repeat('k', 254))] as $call) {
            try {
                $call();
                $this->fail('accepted');
            } catch (\InvalidArgumentException) {
                $this->addToAssertionCount(1);
            }
        }
    }
}
