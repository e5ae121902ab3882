<?php

declare(strict_types=1);

namespace KosherCatalog\Exception;

/** 400 invalid_barcode: not 8-14 digits or a wrong GS1 check digit. */
class InvalidBarcodeException extends BadRequestException
{
}
