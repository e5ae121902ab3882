<?php

declare(strict_types=1);

namespace KosherCatalog\Exception;

/** 409: an Idempotency-Key reused with another request, or one still in progress after the retries. */
class ConflictException extends ApiException
{
}
