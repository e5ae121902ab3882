<?php

declare(strict_types=1);

namespace KosherCatalog;

/**
 * What one call cost. Amounts are decimal strings ("2.6"); Credits::toUnits() turns them into integer units.
 *
 * $creditsDebited is the charge of this request (meta.credits_debited, GraphQL extensions.billing.creditsDebited).
 * When a retry got the stored answer of an earlier attempt of the same call ($replayed), that attempt paid it and
 * $headerCreditsDebited (X-Credits-Debited of the last answer) is "0": the call was charged once.
 * $creditsRemaining is the balance after the call (X-Credits-Remaining). $testMode is true for a test key's
 * answers, which move no credit.
 */
final class Bill
{
    public function __construct(
        public readonly ?string $requestId,
        public readonly string $creditsDebited,
        public readonly ?string $creditsRemaining,
        public readonly string $headerCreditsDebited,
        public readonly bool $replayed,
        public readonly bool $testMode,
        public readonly ?string $idempotencyKey,
        public readonly int $attempts,
    ) {
    }

    /** @param array<string, string> $headers lower-case names */
    public static function fromAnswer(array $headers, mixed $body, ?string $idempotencyKey, int $attempts): self
    {
        $meta = [];
        if (is_array($body)) {
            if (isset($body['meta']) && is_array($body['meta'])) {
                $meta = $body['meta'];
            } elseif (isset($body['extensions']['billing']) && is_array($body['extensions']['billing'])) {
                $billing = $body['extensions']['billing'];
                $meta = [
                    'request_id' => $billing['requestId'] ?? null,
                    'credits_debited' => $billing['creditsDebited'] ?? null,
                    'credits_remaining' => $billing['creditsRemaining'] ?? null,
                    'test_mode' => $billing['testMode'] ?? null,
                ];
            }
        }
        $headerDebited = Credits::normalize($headers['x-credits-debited'] ?? null) ?? '0';
        $debited = Credits::normalize($meta['credits_debited'] ?? null);
        return new self(
            requestId: $meta['request_id'] ?? $headers['x-request-id'] ?? null,
            creditsDebited: $debited ?? $headerDebited,
            creditsRemaining: Credits::normalize($headers['x-credits-remaining'] ?? null) ?? Credits::normalize($meta['credits_remaining'] ?? null),
            headerCreditsDebited: $headerDebited,
            replayed: ($headers['idempotency-replayed'] ?? '') === '1',
            testMode: ($meta['test_mode'] ?? null) === true || ($headers['x-test-mode'] ?? '') === '1',
            idempotencyKey: $idempotencyKey,
            attempts: $attempts,
        );
    }
}
