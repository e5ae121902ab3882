<?php

declare(strict_types=1);

namespace KosherCatalog\Exception;

use KosherCatalog\Internal\Http;

/** 429 rate_limited, thrown when waiting would take longer than the client is allowed to wait. */
class RateLimitException extends ApiException
{
    /** Seconds the answer asked to wait (Retry-After, else the RateLimit field), or null. */
    public function getRetryAfter(): ?float
    {
        return Http::retryDelay($this->getHeaders());
    }
}
