<?php

declare(strict_types=1);

namespace KosherCatalog\Internal;

/** @internal One HTTP exchange as the transport saw it. */
final class Answer
{
    /** @param array<string, string> $headers lower-case names */
    public function __construct(
        public readonly int $status,
        public readonly array $headers,
        public readonly string $body,
        public readonly int $attempts = 1,
        public readonly ?string $idempotencyKey = null,
    ) {
    }

    public function json(): mixed
    {
        return $this->body === '' ? null : Http::decode($this->body);
    }
}
