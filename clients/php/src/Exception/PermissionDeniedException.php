<?php

declare(strict_types=1);

namespace KosherCatalog\Exception;

/** 403: client disabled, IP not allowed, product out of scope, bad or foreign signed URL. */
class PermissionDeniedException extends ApiException
{
}
