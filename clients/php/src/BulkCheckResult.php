<?php

declare(strict_types=1);

namespace KosherCatalog;

/** One row per barcode sent, in the order sent, and one bill per chunk of at most 500. */
final class BulkCheckResult
{
    /**
     * @param list<array<string, mixed>> $results
     * @param list<Bill> $bills
     */
    public function __construct(public readonly array $results, public readonly array $bills)
    {
    }

    /** The charge of all chunks together. */
    public function creditsDebited(): string
    {
        $units = 0;
        foreach ($this->bills as $bill) {
            $units += Credits::toUnits($bill->creditsDebited);
        }
        return Credits::fromUnits($units);
    }

    public function creditsRemaining(): ?string
    {
        return $this->bills === [] ? null : $this->bills[count($this->bills) - 1]->creditsRemaining;
    }
}
