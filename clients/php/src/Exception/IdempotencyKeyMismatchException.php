<?php

declare(strict_types=1);

namespace KosherCatalog\Exception;

/** 409 idempotency_key_mismatch: the key was used with another request; use a new key. */
class IdempotencyKeyMismatchException extends ConflictException
{
}
