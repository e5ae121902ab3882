<?php

declare(strict_types=1);

namespace KosherCatalog\Exception;

/** A webhook request that must not be trusted: missing headers, stale timestamp or bad signature. */
class WebhookVerificationException extends KosherCatalogException
{
}
