<?php

declare(strict_types=1);

namespace KosherCatalog\Internal;

/**
 * @internal No complete answer. $reached is false only when the request surely never got to the server
 * (connection refused, name not resolved), so even a one-shot or non-idempotent request may be sent again.
 */
final class TransportFailure extends \Exception
{
    public function __construct(string $message, public readonly bool $reached, public readonly int $curlError)
    {
        parent::__construct($message);
    }
}
