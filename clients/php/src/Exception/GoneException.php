<?php

declare(strict_types=1);

namespace KosherCatalog\Exception;

/** 410: a signed image URL already redeemed (signed_url_used) or expired (signed_url_expired). */
class GoneException extends ApiException
{
}
