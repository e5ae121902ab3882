<?php

declare(strict_types=1);

namespace KosherCatalog\Exception;

/** 404: no such product, variant or route. */
class NotFoundException extends ApiException
{
}
