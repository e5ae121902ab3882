<?php

declare(strict_types=1);

namespace KosherCatalog;

/** A GraphQL answer; $errors holds field errors that came with (partial) data. */
final class GraphQLResult
{
    /**
     * @param list<array<string, mixed>> $errors
     * @param array<string, mixed> $extensions
     */
    public function __construct(
        public readonly mixed $data,
        public readonly array $errors,
        public readonly array $extensions,
        public readonly Bill $bill,
        public readonly int $status,
    ) {
    }
}
