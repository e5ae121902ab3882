<?php

declare(strict_types=1);

namespace KosherCatalog\Internal;

use KosherCatalog\Exception\ApiException;
use KosherCatalog\Exception\AuthenticationException;
use KosherCatalog\Exception\BadRequestException;
use KosherCatalog\Exception\ConflictException;
use KosherCatalog\Exception\GoneException;
use KosherCatalog\Exception\IdempotencyKeyMismatchException;
use KosherCatalog\Exception\InsufficientCreditsException;
use KosherCatalog\Exception\InvalidBarcodeException;
use KosherCatalog\Exception\NotFoundException;
use KosherCatalog\Exception\PermissionDeniedException;
use KosherCatalog\Exception\RateLimitException;
use KosherCatalog\Exception\ServerException;

/** @internal One HTTP exchange over ext-curl, and the rules for how long to wait before another. */
final class Http
{
    private const BY_CODE = [
        'invalid_barcode' => InvalidBarcodeException::class,
        'idempotency_key_mismatch' => IdempotencyKeyMismatchException::class,
    ];

    private const BY_STATUS = [
        400 => BadRequestException::class,
        401 => AuthenticationException::class,
        402 => InsufficientCreditsException::class,
        403 => PermissionDeniedException::class,
        404 => NotFoundException::class,
        409 => ConflictException::class,
        410 => GoneException::class,
        413 => BadRequestException::class,
        415 => BadRequestException::class,
        429 => RateLimitException::class,
    ];

    /** A HEAD answer has no body, so its code can only be inferred from the status. */
    private const CODE_OF_STATUS = [
        400 => 'bad_request', 401 => 'unauthenticated', 402 => 'insufficient_credits', 403 => 'forbidden',
        404 => 'not_found', 405 => 'method_not_allowed', 409 => 'conflict', 410 => 'gone',
        413 => 'payload_too_large', 415 => 'unsupported_media_type', 429 => 'rate_limited',
        503 => 'service_unavailable',
    ];

    /** curl errors that mean the request never left this machine. */
    private const NEVER_REACHED = [CURLE_COULDNT_RESOLVE_PROXY, CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_CONNECT];

    public static function decode(string $json): mixed
    {
        // Big integers stay exact as strings rather than turning into floats.
        return json_decode($json, true, 512, JSON_THROW_ON_ERROR | JSON_BIGINT_AS_STRING);
    }

    public static function encode(mixed $value): string
    {
        return json_encode($value, JSON_THROW_ON_ERROR | JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE);
    }

    /**
     * A curl handle set up for one request. Redirects are not followed: the API never redirects a client route,
     * and following one would resend the bearer token (and a POST body) wherever the Location points.
     *
     * @param array<string, string> $headers
     * @param array<string, string> $responseHeaders filled in as the headers arrive
     */
    public static function handle(string $method, string $url, ?string $body, array $headers, float $timeout, array &$responseHeaders): \CurlHandle
    {
        $lines = [];
        foreach ($headers as $name => $value) {
            $lines[] = "$name: $value";
        }
        // curl would announce bodies over 1 KiB with "Expect: 100-continue" and wait for the go-ahead: a round
        // trip (or a 1 s stall) for nothing.
        $lines[] = 'Expect:';
        $ch = curl_init();
        curl_setopt_array($ch, [
            CURLOPT_URL => $url,
            CURLOPT_CUSTOMREQUEST => $method,
            CURLOPT_HTTPHEADER => $lines,
            CURLOPT_FOLLOWLOCATION => false,
            CURLOPT_PROTOCOLS => CURLPROTO_HTTP | CURLPROTO_HTTPS,
            CURLOPT_TIMEOUT_MS => (int) round($timeout * 1000),
            CURLOPT_CONNECTTIMEOUT_MS => (int) round(min($timeout, 10.0) * 1000),
            CURLOPT_HEADERFUNCTION => static function ($ch, string $line) use (&$responseHeaders): int {
                if (str_starts_with($line, 'HTTP/')) {
                    $responseHeaders = []; // a new header block (after a 100 Continue, say)
                } elseif (($colon = strpos($line, ':')) !== false) {
                    $name = strtolower(trim(substr($line, 0, $colon)));
                    $value = trim(substr($line, $colon + 1));
                    $responseHeaders[$name] = isset($responseHeaders[$name]) ? $responseHeaders[$name] . ', ' . $value : $value;
                }
                return strlen($line);
            },
        ]);
        if ($method === 'HEAD') {
            curl_setopt($ch, CURLOPT_NOBODY, true);
        }
        if ($body !== null) {
            curl_setopt($ch, CURLOPT_POSTFIELDS, $body);
        }
        return $ch;
    }

    public static function failure(\CurlHandle $ch): TransportFailure
    {
        $errno = curl_errno($ch);
        return new TransportFailure('curl error ' . $errno . ': ' . curl_error($ch), !in_array($errno, self::NEVER_REACHED, true), $errno);
    }

    /**
     * Sends one request and reads the whole answer.
     *
     * @param array<string, string> $headers
     * @return array{0: int, 1: array<string, string>, 2: string}
     * @throws TransportFailure
     */
    public static function exchange(string $method, string $url, ?string $body, array $headers, float $timeout): array
    {
        $responseHeaders = [];
        $ch = self::handle($method, $url, $body, $headers, $timeout, $responseHeaders);
        curl_setopt($ch, CURLOPT_RETURNTRANSFER, true);
        try {
            $raw = curl_exec($ch);
            if ($raw === false) {
                throw self::failure($ch);
            }
            return [(int) curl_getinfo($ch, CURLINFO_RESPONSE_CODE), $responseHeaders, (string) $raw];
        } finally {
            curl_close($ch);
        }
    }

    /**
     * Seconds to wait before the next attempt, from the answer's headers: Retry-After (seconds or an HTTP date),
     * else the IETF RateLimit field (the latest refill `t` among the exhausted buckets, `r=0`), else
     * X-RateLimit-Reset (an epoch second). Null when the answer says nothing.
     *
     * @param array<string, string> $headers lower-case names
     */
    public static function retryDelay(array $headers, ?float $now = null): ?float
    {
        $now ??= microtime(true);
        $value = trim($headers['retry-after'] ?? '');
        if ($value !== '') {
            if (ctype_digit($value)) {
                return (float) $value;
            }
            $when = strtotime($value);
            if ($when !== false) {
                return max(0.0, $when - $now);
            }
        }
        $field = $headers['ratelimit'] ?? '';
        if ($field !== '') {
            $waits = [];
            foreach (explode(',', $field) as $item) {
                $params = [];
                foreach (array_slice(explode(';', $item), 1) as $param) {
                    $pair = explode('=', trim($param), 2);
                    if (count($pair) === 2) {
                        $params[$pair[0]] = $pair[1];
                    }
                }
                if (($params['r'] ?? null) === '0' && ctype_digit($params['t'] ?? '')) {
                    $waits[] = (float) $params['t'];
                }
            }
            if ($waits !== []) {
                return max($waits);
            }
        }
        $reset = trim($headers['x-ratelimit-reset'] ?? '');
        if ($reset !== '' && ctype_digit($reset)) {
            return max(0.0, (float) $reset - $now);
        }
        return null;
    }

    /** Full jitter: a random wait up to an exponentially growing ceiling, so clients that failed together do not come back together. */
    public static function backoff(int $attempt, float $base, float $cap): float
    {
        $ceiling = min($cap, $base * (2 ** ($attempt - 1)));
        return $ceiling * (random_int(0, 1_000_000) / 1_000_000);
    }

    /**
     * The typed exception of an error answer: REST {error, message, request_id}, the OAuth2 form
     * {error, error_description}, or GraphQL {errors: [{message, extensions: {code}}]}.
     *
     * @param array<string, string> $headers
     */
    public static function error(int $status, array $headers, string $body): ApiException
    {
        $code = null;
        $message = null;
        $requestId = $headers['x-request-id'] ?? null;
        $parsed = null;
        if ($body !== '') {
            try {
                $parsed = self::decode($body);
            } catch (\JsonException) {
                $parsed = null;
            }
        }
        if (is_array($parsed)) {
            if (isset($parsed['error']) && is_string($parsed['error'])) {
                $code = $parsed['error'];
                $message = $parsed['message'] ?? $parsed['error_description'] ?? null;
                $requestId = $parsed['request_id'] ?? $requestId;
            } elseif (isset($parsed['errors'][0]) && is_array($parsed['errors'][0])) {
                $first = $parsed['errors'][0];
                if (isset($first['extensions']['code']) && is_string($first['extensions']['code'])) {
                    $code = strtolower($first['extensions']['code']);
                }
                $message = $first['message'] ?? null;
                $requestId = $parsed['extensions']['billing']['requestId'] ?? $requestId;
            }
        }
        $code ??= self::CODE_OF_STATUS[$status] ?? ($status >= 500 ? 'internal_error' : 'http_error');
        $message ??= "HTTP $status";
        $class = self::BY_CODE[$code] ?? self::BY_STATUS[$status] ?? ($status >= 500 ? ServerException::class : ApiException::class);
        return new $class($code, (string) $message, is_string($requestId) ? $requestId : null, $status, $headers);
    }
}
