<?php

declare(strict_types=1);

namespace KosherCatalog\Exception;

/** No answer: connection refused or lost, timeout, a body cut short; thrown after the retries ran out. */
class TransportException extends KosherCatalogException
{
}
