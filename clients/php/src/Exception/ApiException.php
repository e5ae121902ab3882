<?php

declare(strict_types=1);

namespace KosherCatalog\Exception;

/** The API answered with an error status and (usually) the error body. */
class ApiException extends KosherCatalogException
{
}
