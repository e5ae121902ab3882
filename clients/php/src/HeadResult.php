<?php

declare(strict_types=1);

namespace KosherCatalog;

/** HEAD /api/v1/products/{barcode}: whether it exists and which photos it has. */
final class HeadResult
{
    /** @param list<string> $variants */
    public function __construct(
        public readonly bool $exists,
        public readonly array $variants,
        public readonly Bill $bill,
        public readonly int $status,
    ) {
    }
}
