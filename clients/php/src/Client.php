<?php

declare(strict_types=1);

namespace KosherCatalog;

use KosherCatalog\Exception\AuthenticationException;
use KosherCatalog\Exception\KosherCatalogException;
use KosherCatalog\Exception\TransportException;
use KosherCatalog\Internal\Answer;
use KosherCatalog\Internal\Http;
use KosherCatalog\Internal\TransportFailure;

/**
 * A client of one API client (client_id + api_key), for REST v1 and GraphQL.
 *
 * It exchanges the key for tokens on first use, refreshes them before they expire and once more on a 401, sends an
 * Idempotency-Key on every billed call and retries timeouts, lost connections, 5xx and 409 + Retry-After under that
 * same key (so a retry is never charged twice), and waits out 429 as the answer says.
 *
 * Options: timeout (s, 30), maxRetries (3), maxRateLimitRetries (5), maxRetryWait (s, 60: a longer wait throws
 * instead), backoffBase (s, 0.25), backoffMax (s, 8), userAgent, sleep (callable(float $seconds)), logger
 * (callable(string $event, array $context): events token_exchange, token_refresh, refresh_fallback, retry,
 * retry_401, rate_limited).
 */
final class Client
{
    public const VERSION = '0.2.0';
    public const BULK_CHECK_MAX = 500;

    private const LIST_FILTERS = [
        'ownership', 'brand', 'search', 'min_digits', 'has_front', 'hechsher', 'kosher_for_passover',
        'updated_since', 'order', 'per_page',
    ];

    private readonly string $baseUrl;
    private float $timeout = 30.0;
    private int $maxRetries = 3;
    private int $maxRateLimitRetries = 5;
    private float $maxRetryWait = 60.0;
    private float $backoffBase = 0.25;
    private float $backoffMax = 8.0;
    private string $userAgent;
    /** @var callable(float): void */
    private $sleep;
    /** @var (callable(string, array<string, mixed>): void)|null */
    private $logger = null;
    private ?TokenSet $tokens = null;

    /** @param array<string, mixed> $options see the class comment */
    public function __construct(
        string $baseUrl,
        private readonly string $clientId,
        #[\SensitiveParameter] private readonly string $apiKey,
        array $options = [],
    ) {
        if (!str_starts_with($apiKey, 'kc_live_') && !str_starts_with($apiKey, 'kc_test_')) {
            throw new \InvalidArgumentException('apiKey must start with kc_live_ or kc_test_ (is this a token instead of a key?)');
        }
        $scheme = parse_url($baseUrl, PHP_URL_SCHEME);
        if (!in_array($scheme, ['http', 'https'], true) || parse_url($baseUrl, PHP_URL_HOST) === null) {
            throw new \InvalidArgumentException("baseUrl must be an absolute http(s) URL, got '$baseUrl'");
        }
        $this->baseUrl = rtrim($baseUrl, '/');
        $this->userAgent = 'kosher-catalog-php/' . self::VERSION;
        $this->sleep = static function (float $seconds): void {
            usleep((int) round($seconds * 1_000_000));
        };
        foreach ($options as $name => $value) {
            match ($name) {
                'timeout' => $this->timeout = (float) $value,
                'maxRetries' => $this->maxRetries = (int) $value,
                'maxRateLimitRetries' => $this->maxRateLimitRetries = (int) $value,
                'maxRetryWait' => $this->maxRetryWait = (float) $value,
                'backoffBase' => $this->backoffBase = (float) $value,
                'backoffMax' => $this->backoffMax = (float) $value,
                'userAgent' => $this->userAgent = (string) $value,
                'sleep' => $this->sleep = $value,
                'logger' => $this->logger = $value,
                default => throw new \InvalidArgumentException("unknown option '$name'"),
            };
        }
    }

    /** A client from KC_BASE_URL, KC_CLIENT_ID and KC_API_KEY. @param array<string, mixed> $options */
    public static function fromEnv(array $options = []): self
    {
        $get = static function (string $name): string {
            $value = getenv($name);
            if ($value === false || $value === '') {
                throw new \RuntimeException("$name is not set");
            }
            return $value;
        };
        return new self($get('KC_BASE_URL'), $get('KC_CLIENT_ID'), $get('KC_API_KEY'), $options);
    }

    /** A random Idempotency-Key in the allowed alphabet and length (20-255 visible characters). */
    public static function newIdempotencyKey(): string
    {
        return 'kc-php-' . rtrim(strtr(base64_encode(random_bytes(24)), '+/', '-_'), '=');
    }

    /** @return array<string, mixed> never the key */
    public function __debugInfo(): array
    {
        return ['baseUrl' => $this->baseUrl, 'clientId' => $this->clientId, 'mode' => $this->mode()];
    }

    // ---- mode ------------------------------------------------------------------------------------------------

    /** "test" for a kc_test_ key (the sandbox catalog; no credit moves), else "live". */
    public function mode(): string
    {
        return str_starts_with($this->apiKey, 'kc_test_') ? 'test' : 'live';
    }

    public function isTestMode(): bool
    {
        return $this->mode() === 'test';
    }

    public function clientId(): string
    {
        return $this->clientId;
    }

    // ---- tokens ----------------------------------------------------------------------------------------------

    public function tokens(): ?TokenSet
    {
        return $this->tokens;
    }

    /** POST /api/v1/auth/token: trades the API key for a new token pair (and keeps it). */
    public function exchangeToken(): TokenSet
    {
        // A lost answer to an exchange only leaves an unused pair behind, so it may be retried like a read.
        $answer = $this->send('POST', '/api/v1/auth/token', body: ['client_id' => $this->clientId, 'api_key' => $this->apiKey], auth: false);
        $this->log('token_exchange', []);
        return $this->storeTokens($answer);
    }

    /**
     * POST /api/v1/auth/refresh: a new pair for the current refresh token. Exchanges the key instead when the
     * refresh token is refused or the answer is lost: a refresh token is never sent twice, because presenting a
     * consumed one is taken for a leak and revokes every session of the client.
     */
    public function refreshTokens(): TokenSet
    {
        if ($this->tokens === null) {
            return $this->exchangeToken();
        }
        try {
            $answer = $this->send('POST', '/api/v1/auth/refresh', body: ['refresh_token' => $this->tokens->refreshToken], auth: false, retry: false);
        } catch (KosherCatalogException $e) {
            if ($e instanceof AuthenticationException && !in_array($e->getErrorCode(), ['refresh_token_invalid', 'refresh_token_reused'], true)) {
                throw $e;
            }
            $this->log('refresh_fallback', ['code' => $e->getErrorCode()]);
            return $this->exchangeToken();
        }
        $this->log('token_refresh', []);
        return $this->storeTokens($answer);
    }

    private function storeTokens(Answer $answer): TokenSet
    {
        $body = $answer->json();
        return $this->tokens = new TokenSet(
            accessToken: $body['access_token'],
            refreshToken: $body['refresh_token'],
            expiresIn: (int) $body['expires_in'],
            refreshExpiresIn: (int) ($body['refresh_expires_in'] ?? 0),
            expiresAt: microtime(true) + (int) $body['expires_in'],
            tokenType: $body['token_type'] ?? 'Bearer',
        );
    }

    /**
     * A token good for the next call. Renews it when it is near its end (a tenth of its lifetime, at most 60 s, is
     * kept in hand for clock skew and the request's own travel), or when $stale (the token a 401 refused) is still
     * the current one.
     */
    private function accessToken(?string $stale): string
    {
        $tokens = $this->tokens;
        if ($tokens === null) {
            $tokens = $this->exchangeToken();
        } elseif ($stale !== null && $tokens->accessToken === $stale) {
            $tokens = $this->refreshTokens();
        } elseif (microtime(true) >= $tokens->expiresAt - min(60.0, $tokens->expiresIn / 10)) {
            $tokens = $this->refreshTokens();
        }
        return $tokens->accessToken;
    }

    // ---- the request loop ------------------------------------------------------------------------------------

    /** @param array<string, mixed> $query */
    private function url(string $path, array $query = []): string
    {
        // A list value goes as a comma list (include=a,b): the one form every list parameter documents (a repeated
        // or bracketed parameter is not read as a list on every route).
        $query = array_map(static fn ($v) => is_array($v) ? implode(',', $v) : $v, array_filter($query, static fn ($v) => $v !== null));
        return $this->baseUrl . $path . ($query === [] ? '' : '?' . http_build_query($query, '', '&', PHP_QUERY_RFC3986));
    }

    /**
     * Sends a request until it has an answer worth returning; throws the typed exception otherwise.
     *
     * $retry says the request may be sent again after a lost answer or a 5xx: true for reads, for billed calls
     * (they carry $idempotencyKey, so the server replays instead of charging again) and for token exchange.
     * Whatever $retry says, a 429 (refused before anything happened), a request that never reached the server, and
     * one 401 (after renewing the token) are tried again.
     *
     * @param array<string, mixed> $query
     * @param array<string, string> $extraHeaders
     */
    private function send(
        string $method,
        string $path,
        array $query = [],
        mixed $body = null,
        bool $auth = true,
        bool $retry = true,
        ?string $idempotencyKey = null,
        array $extraHeaders = [],
    ): Answer {
        $url = $this->url($path, $query);
        $headers = ['Accept' => 'application/json', 'User-Agent' => $this->userAgent];
        $data = null;
        if ($body !== null) {
            $data = Http::encode($body);
            $headers['Content-Type'] = 'application/json';
        }
        if ($idempotencyKey !== null) {
            $headers['Idempotency-Key'] = $idempotencyKey;
        }
        $headers += $extraHeaders;
        $attempts = 0;
        $transient = 0;
        $rateLimited = 0;
        $refusedToken = null;
        $renewed = false;
        while (true) {
            $attempts++;
            $token = null;
            if ($auth) {
                $token = $this->accessToken($refusedToken);
                $headers['Authorization'] = "Bearer $token";
            }
            try {
                [$status, $respHeaders, $raw] = Http::exchange($method, $url, $data, $headers, $this->timeout);
            } catch (TransportFailure $failure) {
                if (($retry || !$failure->reached) && $transient < $this->maxRetries) {
                    $transient++;
                    $delay = Http::backoff($transient, $this->backoffBase, $this->backoffMax);
                    $this->log('retry', ['method' => $method, 'path' => $path, 'reason' => 'transport', 'error' => $failure->getMessage(), 'attempt' => $transient, 'delay' => $delay, 'idempotency_key' => $idempotencyKey]);
                    ($this->sleep)($delay);
                    continue;
                }
                throw new TransportException('transport_error', "$method $path: no answer after $attempts attempt(s): {$failure->getMessage()}", null, null, [], $failure);
            }
            if ($status === 401 && $auth && !$renewed) {
                // One more try with a renewed token: it may have expired in flight or been revoked.
                $renewed = true;
                $refusedToken = $token;
                $this->log('retry_401', ['method' => $method, 'path' => $path]);
                continue;
            }
            $refusedToken = null;
            if ($status === 429 && $rateLimited < $this->maxRateLimitRetries) {
                $wait = Http::retryDelay($respHeaders) ?? Http::backoff($rateLimited + 1, $this->backoffBase * 4, $this->backoffMax);
                if ($wait <= $this->maxRetryWait) {
                    $rateLimited++;
                    // A little jitter on top, so clients refused together do not all return on the same tick.
                    $delay = $wait + Http::backoff(1, $this->backoffBase, $this->backoffMax);
                    $this->log('rate_limited', ['method' => $method, 'path' => $path, 'wait' => $delay]);
                    ($this->sleep)($delay);
                    continue;
                }
            }
            if ($retry && $transient < $this->maxRetries && ($status >= 500 || ($status === 409 && isset($respHeaders['retry-after'])))) {
                $transient++;
                $delay = min($this->maxRetryWait, max(Http::retryDelay($respHeaders) ?? 0.0, Http::backoff($transient, $this->backoffBase, $this->backoffMax)));
                $this->log('retry', ['method' => $method, 'path' => $path, 'reason' => "http_$status", 'attempt' => $transient, 'delay' => $delay, 'idempotency_key' => $idempotencyKey]);
                ($this->sleep)($delay);
                continue;
            }
            if ($status >= 300) { // redirects are not followed (see Http::handle): an answer we cannot use
                throw Http::error($status, $respHeaders, $raw);
            }
            return new Answer($status, $respHeaders, $raw, $attempts, $idempotencyKey);
        }
    }

    private function result(Answer $answer): Result
    {
        $data = $answer->json();
        return new Result($data, Bill::fromAnswer($answer->headers, $data, $answer->idempotencyKey, $answer->attempts), $answer->status, $answer->headers);
    }

    /** @param array<string, mixed> $context */
    private function log(string $event, array $context): void
    {
        if ($this->logger !== null) {
            ($this->logger)($event, $context);
        }
    }

    /**
     * Any other /api/v1 route (e.g. PATCH /api/v1/webhooks/{id}, GET /api/v1/usage). Retried after a lost answer
     * or a 5xx only for GET or when an $idempotencyKey is given.
     *
     * @param array<string, mixed> $query
     */
    public function request(string $method, string $path, array $query = [], mixed $body = null, ?string $idempotencyKey = null): Result
    {
        $method = strtoupper($method);
        $retry = in_array($method, ['GET', 'HEAD'], true) || $idempotencyKey !== null;
        return $this->result($this->send($method, $path, $query, $body, retry: $retry, idempotencyKey: $idempotencyKey));
    }

    /**
     * POST /api/v1/auth/revoke: a log-out. Revokes the kept refresh token, then the kept access token, and forgets
     * both (the next call exchanges the key again). The refresh token's answer (revoked, token_type), or null when
     * no token was kept.
     */
    public function revokeTokens(): ?Result
    {
        $tokens = $this->tokens;
        $this->tokens = null;
        if ($tokens === null) {
            return null;
        }
        $results = [];
        foreach (['refresh_token' => $tokens->refreshToken, 'access_token' => $tokens->accessToken] as $hint => $token) {
            $results[] = $this->result($this->send('POST', '/api/v1/auth/revoke', body: ['token' => $token, 'token_type_hint' => $hint], auth: false, idempotencyKey: self::newIdempotencyKey()));
        }
        return $results[0];
    }

    // ---- service (public) ------------------------------------------------------------------------------------

    /** GET /api/v1/health (public): status and the checks of each dependency. */
    public function health(): Result
    {
        return $this->result($this->send('GET', '/api/v1/health', auth: false));
    }

    /** GET /api/v1/openapi.json (public): the API's OpenAPI document. */
    public function openApi(): Result
    {
        return $this->result($this->send('GET', '/api/v1/openapi.json', auth: false));
    }

    // ---- products (billed) -----------------------------------------------------------------------------------

    /** @param list<string>|string|null $value */
    private static function csv(array|string|null $value): ?string
    {
        return is_array($value) ? implode(',', $value) : $value;
    }

    private static function productPath(string $barcode): string
    {
        return '/api/v1/products/' . rawurlencode($barcode);
    }

    /**
     * GET /api/v1/products/{barcode} (billed). Send $include: omitted, it means every scope and every image, the
     * most expensive read.
     *
     * @param list<string>|string|null $include product_meta, image_meta, images
     * @param list<string>|string|null $variants front, back, front_clean, back_clean
     */
    public function getProduct(
        string $barcode,
        array|string|null $include = null,
        array|string|null $variants = null,
        ?string $imageSize = null,
        ?string $imageFormat = null,
        ?string $idempotencyKey = null,
    ): Result {
        $query = ['include' => self::csv($include), 'variants' => self::csv($variants), 'image_size' => $imageSize, 'image_format' => $imageFormat];
        return $this->result($this->send('GET', self::productPath($barcode), $query, idempotencyKey: $idempotencyKey ?? self::newIdempotencyKey()));
    }

    /**
     * HEAD /api/v1/products/{barcode} (billed products.head when it exists). A 404 is exists=false, not an error.
     * The answer has no body, so the bill comes from the headers.
     */
    public function headProduct(string $barcode, ?string $idempotencyKey = null): HeadResult
    {
        $key = $idempotencyKey ?? self::newIdempotencyKey();
        try {
            $answer = $this->send('HEAD', self::productPath($barcode), idempotencyKey: $key);
        } catch (KosherCatalogException $e) {
            if ($e->getHttpStatus() === 404) {
                return new HeadResult(false, [], Bill::fromAnswer($e->getHeaders(), null, $key, 1), 404);
            }
            throw $e;
        }
        $variants = array_values(array_filter(explode(',', $answer->headers['x-available-variants'] ?? ''), static fn ($v) => $v !== ''));
        return new HeadResult(true, $variants, Bill::fromAnswer($answer->headers, null, $key, $answer->attempts), $answer->status);
    }

    /**
     * POST /api/v1/products/bulk-check for any number of barcodes, in chunks of at most 500, each under its own
     * Idempotency-Key; rows come back in the order given.
     *
     * With $idempotencyKey, chunk i uses "<key>.<i>": running the same call again within 24 h (say after a crash
     * halfway) replays the chunks already paid for instead of charging them again.
     *
     * @param iterable<string> $barcodes
     */
    public function bulkCheck(iterable $barcodes, int $chunkSize = self::BULK_CHECK_MAX, ?string $idempotencyKey = null): BulkCheckResult
    {
        if ($chunkSize < 1 || $chunkSize > self::BULK_CHECK_MAX) {
            throw new \InvalidArgumentException('chunkSize must be 1..' . self::BULK_CHECK_MAX);
        }
        $items = [];
        foreach ($barcodes as $barcode) {
            $items[] = (string) $barcode;
        }
        $base = $idempotencyKey ?? self::newIdempotencyKey();
        if (strlen($base) + 1 + strlen((string) intdiv(max(0, count($items) - 1), $chunkSize)) > 255) {
            throw new \InvalidArgumentException('idempotencyKey too long to number its chunks (at most 255 characters in all)');
        }
        $results = [];
        $bills = [];
        foreach (array_chunk($items, $chunkSize) as $index => $chunk) {
            $result = $this->result($this->send('POST', '/api/v1/products/bulk-check', body: ['barcodes' => $chunk], idempotencyKey: "$base.$index"));
            $rows = $result->data['results'] ?? null;
            if (!is_array($rows) || count($rows) !== count($chunk)) {
                throw new KosherCatalogException('unexpected_answer', 'bulk-check answered ' . (is_array($rows) ? count($rows) : 'no') . ' rows for ' . count($chunk) . ' barcodes', $result->bill->requestId, $result->status);
            }
            array_push($results, ...$rows);
            $bills[] = $result->bill;
        }
        return new BulkCheckResult($results, $bills);
    }

    /**
     * POST /graphql (billed by selection). Throws the typed exception when the operation failed as a whole (no
     * data); field errors that come with partial data are in $errors. $priceQuote prices the operation without
     * running or charging it.
     *
     * @param array<string, mixed> $variables
     */
    public function graphql(string $query, array $variables = [], ?string $operationName = null, ?string $idempotencyKey = null, bool $priceQuote = false): GraphQLResult
    {
        $body = ['query' => $query];
        if ($variables !== []) {
            $body['variables'] = $variables;
        }
        if ($operationName !== null) {
            $body['operationName'] = $operationName;
        }
        $answer = $this->send('POST', '/graphql', body: $body, idempotencyKey: $idempotencyKey ?? self::newIdempotencyKey(), extraHeaders: $priceQuote ? ['X-Price-Quote' => '1'] : []);
        $doc = $answer->json() ?? [];
        $errors = $doc['errors'] ?? [];
        if (($doc['data'] ?? null) === null && $errors !== [] && !$priceQuote) {
            throw Http::error($answer->status, $answer->headers, $answer->body);
        }
        return new GraphQLResult($doc['data'] ?? null, $errors, $doc['extensions'] ?? [], Bill::fromAnswer($answer->headers, $doc, $answer->idempotencyKey, $answer->attempts), $answer->status);
    }

    // ---- listing (free) --------------------------------------------------------------------------------------

    /**
     * @param array<string, mixed> $filters
     * @return array<string, mixed>
     */
    private static function listQuery(array $filters): array
    {
        $query = [];
        foreach ($filters as $name => $value) {
            if (!in_array($name, self::LIST_FILTERS, true)) {
                // The API refuses unknown parameters too; failing here names the typo before a request is made.
                throw new \InvalidArgumentException("unknown listing filter '$name'");
            }
            if (is_bool($value)) {
                $value = $value ? 'true' : 'false';
            } elseif ($value instanceof \DateTimeInterface) {
                $value = $value->format(\DateTimeInterface::RFC3339_EXTENDED);
            }
            $query[$name] = $value;
        }
        return $query;
    }

    /**
     * One page of GET /api/v1/products (free): items, page_info, sync_until. $filters: ownership, brand, search,
     * min_digits, has_front, hechsher, kosher_for_passover, updated_since, order, per_page.
     *
     * @param array<string, mixed> $filters
     */
    public function listProducts(array $filters = [], ?string $cursor = null, ?int $page = null): Result
    {
        $query = self::listQuery($filters) + ['cursor' => $cursor, 'page' => $page];
        return $this->result($this->send('GET', '/api/v1/products', $query));
    }

    /**
     * Every page of the listing, following next_cursor (same filters) until it is null. For a nightly sync keep
     * the first page's sync_until. $maxPages stops early.
     *
     * @param array<string, mixed> $filters
     * @return \Generator<int, Result>
     */
    public function iterateProductPages(array $filters = [], ?int $maxPages = null): \Generator
    {
        self::listQuery($filters); // refuse a bad filter at the call, not at the first iteration's surprise
        $cursor = null;
        $seen = [];
        for ($pages = 0; $maxPages === null || $pages < $maxPages; $pages++) {
            $result = $this->listProducts($filters, $cursor);
            yield $pages => $result;
            $cursor = $result->data['page_info']['next_cursor'] ?? null;
            if ($cursor === null || $cursor === '') {
                return;
            }
            if (isset($seen[$cursor])) { // a server bug must not turn into an endless loop
                throw new KosherCatalogException('cursor_loop', 'the listing returned a cursor it had returned before');
            }
            $seen[$cursor] = true;
        }
    }

    /**
     * Every listed product (summaries), page after page; takes the filters of listProducts().
     *
     * @param array<string, mixed> $filters
     * @return \Generator<int, array<string, mixed>>
     */
    public function iterateProducts(array $filters = [], ?int $maxPages = null): \Generator
    {
        foreach ($this->iterateProductPages($filters, $maxPages) as $page) {
            foreach ($page->data['items'] as $item) {
                yield $item;
            }
        }
    }

    // ---- account (free) --------------------------------------------------------------------------------------

    /** GET /api/v1/balance: credits_remaining, spent_today, spent_this_month. */
    public function balance(): Result
    {
        return $this->result($this->send('GET', '/api/v1/balance'));
    }

    /** GET /api/v1/account: the account, this client and its live rate-limit budget. */
    public function account(): Result
    {
        return $this->result($this->send('GET', '/api/v1/account'));
    }

    /** GET /api/v1/pricing (public): the rates of every billed action. */
    public function pricing(): Result
    {
        return $this->result($this->send('GET', '/api/v1/pricing', auth: false));
    }

    // ---- webhooks (free) -------------------------------------------------------------------------------------

    /**
     * POST /api/v1/webhooks. The answer's secret is shown only now: store it to verify deliveries. Not retried
     * after a lost answer (it could create a second subscription); list them to check.
     *
     * @param list<string> $events
     * @param array<string, mixed>|null $filter
     */
    public function createWebhook(string $url, array $events, ?array $filter = null): Result
    {
        $body = ['url' => $url, 'events' => array_values($events)];
        if ($filter !== null) {
            $body['filter'] = (object) $filter;
        }
        return $this->result($this->send('POST', '/api/v1/webhooks', body: $body, retry: false));
    }

    public function listWebhooks(): Result
    {
        return $this->result($this->send('GET', '/api/v1/webhooks'));
    }

    public function getWebhook(string $id): Result
    {
        return $this->result($this->send('GET', '/api/v1/webhooks/' . rawurlencode($id)));
    }

    public function deleteWebhook(string $id): void
    {
        // Deleting twice is harmless (the second is a 404 we swallow), so a lost answer may be retried.
        try {
            $this->send('DELETE', '/api/v1/webhooks/' . rawurlencode($id));
        } catch (KosherCatalogException $e) {
            if ($e->getHttpStatus() !== 404) {
                throw $e;
            }
        }
    }

    /**
     * PATCH /api/v1/webhooks/{id}: changes only the fields given (url, events, filter, enabled); a new url is
     * verified again. Setting the same fields twice ends in the same state, so a lost answer may be retried.
     *
     * @param array{url?: string, events?: list<string>, filter?: array<string, mixed>, enabled?: bool} $changes
     */
    public function updateWebhook(string $id, array $changes): Result
    {
        if ($changes === []) {
            throw new \InvalidArgumentException('updateWebhook: give url, events, filter or enabled');
        }
        if (isset($changes['filter'])) {
            $changes['filter'] = (object) $changes['filter'];
        }
        return $this->result($this->send('PATCH', '/api/v1/webhooks/' . rawurlencode($id), body: $changes));
    }

    /**
     * POST /api/v1/webhooks/{id}/verify: sends the endpoint a new challenge; the subscription with its verification
     * (verified, or failed with verification_error).
     */
    public function verifyWebhookEndpoint(string $id): Result
    {
        return $this->result($this->send('POST', '/api/v1/webhooks/' . rawurlencode($id) . '/verify', retry: false));
    }

    /**
     * POST /api/v1/webhooks/{id}/replay: delivers again the kept events of [since, until) (until defaults to now);
     * queued, and next_since when the range held more than one call queues.
     */
    public function replayWebhook(string $id, string $since, ?string $until = null): Result
    {
        $body = ['since' => $since] + ($until === null ? [] : ['until' => $until]);
        return $this->result($this->send('POST', '/api/v1/webhooks/' . rawurlencode($id) . '/replay', body: $body, retry: false));
    }

    /** GET /api/v1/webhooks/{id}/deliveries: the delivery log, newest first ($status: pending, delivered, failed). */
    public function listWebhookDeliveries(string $id, ?int $limit = null, ?string $status = null): Result
    {
        $query = array_filter(['limit' => $limit, 'status' => $status], static fn ($v) => $v !== null);
        return $this->result($this->send('GET', '/api/v1/webhooks/' . rawurlencode($id) . '/deliveries', $query));
    }

    /** POST /api/v1/webhooks/{id}/test: sends a signed webhook.test ping and reports the answer. */
    public function testWebhook(string $id): Result
    {
        return $this->result($this->send('POST', '/api/v1/webhooks/' . rawurlencode($id) . '/test', retry: false));
    }

    // ---- images ----------------------------------------------------------------------------------------------

    /**
     * Redeems a signed image URL and saves the image at $destination (a file path, or an existing directory: then
     * the server's file name <barcode>_<variant>.<ext> is used). The file appears whole or not at all.
     *
     * Signed URLs are one-shot: the first GET redeems them. So the request is sent again only when it surely never
     * reached the server (connection refused); after a timeout or a broken download the URL is spent, and a fresh
     * one is a new (billed) read.
     */
    public function downloadImage(string $url, string $destination): DownloadedImage
    {
        if (str_starts_with($url, '/')) {
            $url = $this->baseUrl . $url;
        }
        $directory = is_dir($destination) ? $destination : dirname($destination);
        if (!is_dir($directory)) {
            // Checked before redeeming: failing afterwards would waste the one-shot URL.
            throw new \InvalidArgumentException("no directory to save '$destination' in");
        }
        for ($tries = 1; ; $tries++) {
            try {
                return $this->redeem($url, $destination, $directory);
            } catch (TransportFailure $failure) {
                if (!$failure->reached && $tries <= $this->maxRetries) {
                    ($this->sleep)(Http::backoff($tries, $this->backoffBase, $this->backoffMax));
                    continue;
                }
                throw new TransportException('transport_error', "image download failed ({$failure->getMessage()}); the URL may be spent: request a new one", null, null, [], $failure);
            }
        }
    }

    private function redeem(string $url, string $destination, string $directory): DownloadedImage
    {
        // A hidden part file beside the target, renamed when complete: readers never see half an image.
        $tmp = $directory . '/.kc-image-' . bin2hex(random_bytes(8)) . '.part';
        $out = null;
        $errorBody = '';
        $size = 0;
        $respHeaders = [];
        // No bearer: the URL is the credential.
        $ch = Http::handle('GET', $url, null, ['Accept' => 'image/*', 'User-Agent' => $this->userAgent], $this->timeout, $respHeaders);
        curl_setopt($ch, CURLOPT_WRITEFUNCTION, static function ($ch, string $chunk) use (&$out, &$errorBody, &$size, $tmp): int {
            if (curl_getinfo($ch, CURLINFO_RESPONSE_CODE) !== 200) {
                $errorBody .= $chunk; // an error body (JSON) to read the code from, not image bytes
                return strlen($chunk);
            }
            $out ??= fopen($tmp, 'xb');
            if ($out === false || fwrite($out, $chunk) !== strlen($chunk)) {
                return 0; // curl aborts the transfer
            }
            $size += strlen($chunk);
            return strlen($chunk);
        });
        try {
            $ok = curl_exec($ch);
            $status = (int) curl_getinfo($ch, CURLINFO_RESPONSE_CODE);
            if ($ok === false && $status === 0) {
                throw Http::failure($ch); // no answer at all: maybe never reached, the caller decides
            }
            if ($status !== 200) {
                throw Http::error($status, $respHeaders, $errorBody);
            }
            if ($ok === false) {
                // The response had started: the URL is redeemed. Never try it again.
                throw new TransportException('transport_error', "image download broke off after $size bytes (" . curl_error($ch) . '); the URL is spent');
            }
            $expected = $respHeaders['content-length'] ?? null;
            if ($expected !== null && ctype_digit($expected) && (int) $expected !== $size) {
                throw new TransportException('transport_error', "image download broke off after $size of $expected bytes; the URL is spent");
            }
            if (is_resource($out)) {
                fclose($out);
                $out = null;
            } else {
                touch($tmp); // an empty image is still an answer; keep the contract "a file appears"
            }
            $filename = self::safeFilename($respHeaders['content-disposition'] ?? '');
            $target = is_dir($destination) ? $destination . '/' . ($filename ?? 'image') : $destination;
            if (!rename($tmp, $target)) {
                throw new \RuntimeException("could not move the image to '$target'");
            }
            return new DownloadedImage($target, $respHeaders['content-type'] ?? '', $size, $respHeaders['etag'] ?? null, $filename);
        } finally {
            curl_close($ch);
            if (is_resource($out)) {
                fclose($out);
            }
            if (is_file($tmp)) {
                @unlink($tmp);
            }
        }
    }

    /** The file name of a Content-Disposition header, only when it is a plain name (no path, no dot-dot). */
    private static function safeFilename(string $disposition): ?string
    {
        if (preg_match('/filename="?([^";]+)"?/', $disposition, $m) && preg_match('/^[A-Za-z0-9][A-Za-z0-9._-]{0,200}$/', $m[1]) && !str_contains($m[1], '..')) {
            return $m[1];
        }
        return null;
    }
}
