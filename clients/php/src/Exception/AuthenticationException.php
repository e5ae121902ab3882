<?php

declare(strict_types=1);

namespace KosherCatalog\Exception;

/** 401: wrong client_id/api_key, or a token the client could not renew. */
class AuthenticationException extends ApiException
{
}
