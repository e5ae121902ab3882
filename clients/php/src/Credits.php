<?php

declare(strict_types=1);

namespace KosherCatalog;

/**
 * Credits are exact to 0.0001. This client keeps amounts as the decimal text the API sent ("2.6") and does
 * arithmetic in integer units of 1/10,000 credit, never in floats.
 */
final class Credits
{
    /** "2.6" -> 26000. */
    public static function toUnits(string $credits): int
    {
        if (!preg_match('/^(-?)(\d+)(?:\.(\d{1,4}))?$/', trim($credits), $m)) {
            throw new \InvalidArgumentException("not a credit amount: $credits");
        }
        $units = (int) $m[2] * 10_000 + (int) str_pad($m[3] ?? '', 4, '0');
        return $m[1] === '-' ? -$units : $units;
    }

    /** 26000 -> "2.6". */
    public static function fromUnits(int $units): string
    {
        $sign = $units < 0 ? '-' : '';
        $abs = abs($units);
        $fraction = rtrim(str_pad((string) ($abs % 10_000), 4, '0', STR_PAD_LEFT), '0');
        return $sign . intdiv($abs, 10_000) . ($fraction === '' ? '' : ".$fraction");
    }

    /**
     * A credit amount from a JSON value. A JSON number arrives as a float; rounding it to the API's 4 decimals
     * gives back the server's digits for any amount under about 10^11 credits (headers carry the exact text).
     */
    public static function normalize(mixed $value): ?string
    {
        if ($value === null || $value === '') {
            return null;
        }
        if (is_float($value)) {
            $value = sprintf('%.4F', $value);
        }
        return self::fromUnits(self::toUnits((string) $value));
    }
}
