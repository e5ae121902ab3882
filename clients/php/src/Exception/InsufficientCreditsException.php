<?php

declare(strict_types=1);

namespace KosherCatalog\Exception;

/** 402 insufficient_credits: nothing was charged or returned. */
class InsufficientCreditsException extends ApiException
{
}
