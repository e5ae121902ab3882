<?php

declare(strict_types=1);

namespace KosherCatalog;

/**
 * A successful answer: $data is the JSON body (arrays), $bill its cost, $headers with lower-case names.
 * Reads like the body: $result['product_meta'].
 *
 * @implements \ArrayAccess<string, mixed>
 */
final class Result implements \ArrayAccess
{
    /** @param array<string, string> $headers */
    public function __construct(
        public readonly mixed $data,
        public readonly Bill $bill,
        public readonly int $status,
        public readonly array $headers,
    ) {
    }

    public function offsetExists(mixed $offset): bool
    {
        return is_array($this->data) && array_key_exists($offset, $this->data);
    }

    public function offsetGet(mixed $offset): mixed
    {
        if (!$this->offsetExists($offset)) {
            throw new \OutOfBoundsException("no '$offset' in the answer");
        }
        return $this->data[$offset];
    }

    public function offsetSet(mixed $offset, mixed $value): void
    {
        throw new \LogicException('a Result is read-only');
    }

    public function offsetUnset(mixed $offset): void
    {
        throw new \LogicException('a Result is read-only');
    }
}
