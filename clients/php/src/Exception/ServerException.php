<?php

declare(strict_types=1);

namespace KosherCatalog\Exception;

/** 5xx after the retries ran out (a billed call under its Idempotency-Key was still charged at most once). */
class ServerException extends ApiException
{
}
