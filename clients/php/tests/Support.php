<?php

declare(strict_types=1);

namespace KosherCatalog\Tests;

/**
 * Shared by the live tests: the harness's environment (test/clients/live-server.ts) and the few calls a test makes
 * around the client (the admin API, the proxy's control routes, the webhook sink), over plain curl so that what is
 * under test is only the client.
 */
final class Support
{
    /**
     * A harness variable. Missing means the suite was started by hand without the harness: say how to start it (a
     * live suite never passes by skipping).
     */
    public static function env(string $name): string
    {
        $value = getenv($name);
        if ($value === false || $value === '') {
            throw new \RuntimeException("$name is not set. Run through vitest (test/clients/php-client.test.ts) or start the harness with `node --import tsx test/clients/serve.ts php` and export the variables it prints.");
        }
        return $value;
    }

    /** @return array{0: int, 1: array<string, string>, 2: mixed} */
    public static function httpJson(string $method, string $url, mixed $body = null, ?string $token = null): array
    {
        $headers = [];
        $ch = curl_init($url);
        $lines = [];
        if ($body !== null) {
            $lines[] = 'Content-Type: application/json';
            curl_setopt($ch, CURLOPT_POSTFIELDS, json_encode($body, JSON_THROW_ON_ERROR | JSON_UNESCAPED_UNICODE));
        }
        if ($token !== null) {
            $lines[] = "Authorization: Bearer $token";
        }
        curl_setopt_array($ch, [
            CURLOPT_CUSTOMREQUEST => $method,
            CURLOPT_HTTPHEADER => $lines,
            CURLOPT_RETURNTRANSFER => true,
            CURLOPT_TIMEOUT => 30,
            CURLOPT_HEADERFUNCTION => static function ($ch, string $line) use (&$headers): int {
                if (str_contains($line, ':')) {
                    [$name, $value] = explode(':', $line, 2);
                    $headers[strtolower(trim($name))] = trim($value);
                }
                return strlen($line);
            },
        ]);
        $raw = curl_exec($ch);
        if ($raw === false) {
            throw new \RuntimeException("$method $url: " . curl_error($ch));
        }
        $status = (int) curl_getinfo($ch, CURLINFO_RESPONSE_CODE);
        curl_close($ch);
        return [$status, $headers, $raw === '' ? null : json_decode($raw, true, 512, JSON_THROW_ON_ERROR)];
    }

    public static function admin(string $method, string $path, mixed $body = null): mixed
    {
        [$status, , $parsed] = self::httpJson($method, self::env('KC_ADMIN_URL') . $path, $body, self::env('KC_ADMIN_TOKEN'));
        if ($status >= 300) {
            throw new \RuntimeException("admin $method $path: $status " . json_encode($parsed));
        }
        return $parsed;
    }

    /** Appends the GS1 mod-10 check digit. */
    public static function withCheckDigit(string $digits): string
    {
        $sum = 0;
        foreach (array_reverse(str_split($digits)) as $i => $d) {
            $sum += (int) $d * ($i % 2 === 0 ? 3 : 1);
        }
        return $digits . ((10 - $sum % 10) % 10);
    }

    /** A valid 13-digit barcode that the seeded catalog does not have (prefix 299: in-store numbers). */
    public static function randomBarcode(): string
    {
        return self::withCheckDigit('299' . str_pad((string) random_int(0, 999_999_999), 9, '0', STR_PAD_LEFT));
    }

    /** Makes the proxy lose the answer of the next request under $prefix after the app has committed it. */
    public static function armDrop(string $prefix): void
    {
        [$status] = self::httpJson('POST', self::env('KC_PROXY_CONTROL') . '/__proxy/drop-next?path=' . rawurlencode($prefix));
        if ($status !== 200) {
            throw new \RuntimeException("arming the proxy: $status");
        }
    }

    /** Makes the proxy answer the next request under $prefix with a gateway error after the app committed it. */
    public static function armFailure(string $prefix, int $status = 502): void
    {
        [$code] = self::httpJson('POST', self::env('KC_PROXY_CONTROL') . '/__proxy/fail-next?path=' . rawurlencode($prefix) . "&status=$status");
        if ($code !== 200) {
            throw new \RuntimeException("arming the proxy: $code");
        }
    }

    /** @return array<string, mixed> */
    public static function proxyStats(): array
    {
        return self::httpJson('GET', self::env('KC_PROXY_CONTROL') . '/__proxy/stats')[2];
    }

    /** @return list<array<string, mixed>> */
    public static function sinkRecords(string $pathPrefix): array
    {
        return self::httpJson('GET', self::env('KC_WEBHOOK_SINK') . '/__received?path=' . rawurlencode($pathPrefix))[2];
    }

    /**
     * Polls $probe until it returns something truthy, for at most $timeout seconds.
     *
     * @template T
     * @param callable(): T $probe
     * @return T
     */
    public static function waitFor(string $what, callable $probe, float $timeout = 15.0, float $every = 0.1): mixed
    {
        $deadline = microtime(true) + $timeout;
        while (true) {
            $value = $probe();
            if ($value) {
                return $value;
            }
            if (microtime(true) > $deadline) {
                throw new \RuntimeException("timed out after {$timeout}s waiting for $what");
            }
            usleep((int) ($every * 1_000_000));
        }
    }

    /** The balance as the API reports it, read past the proxy so no armed drop can touch it. */
    public static function balance(\KosherCatalog\Client $client): string
    {
        [$status, $headers] = self::httpJson('GET', self::env('KC_DIRECT_URL') . '/api/v1/balance', null, $client->exchangeToken()->accessToken);
        if ($status !== 200) {
            throw new \RuntimeException("balance: $status");
        }
        return $headers['x-credits-remaining'];
    }

    /** A logger for the client's options that keeps the events in $events. @param list<array{0: string, 1: array<string, mixed>}> $events */
    public static function recorder(array &$events): \Closure
    {
        return static function (string $event, array $context) use (&$events): void {
            $events[] = [$event, $context];
        };
    }

    /** @param list<array{0: string, 1: array<string, mixed>}> $events @return list<array<string, mixed>> */
    public static function events(array $events, string $name): array
    {
        return array_values(array_map(static fn ($e) => $e[1], array_filter($events, static fn ($e) => $e[0] === $name)));
    }
}
