<?php

declare(strict_types=1);

namespace KosherCatalog\Exception;

/** 400 (and 413/415): fix the request; nothing was charged. */
class BadRequestException extends ApiException
{
}
