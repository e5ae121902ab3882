<?php

declare(strict_types=1);

namespace KosherCatalog;

/** An access token and its single-use refresh token. $expiresAt is Unix time by the client's clock. */
final class TokenSet
{
    public function __construct(
        #[\SensitiveParameter] public readonly string $accessToken,
        #[\SensitiveParameter] public readonly string $refreshToken,
        public readonly int $expiresIn,
        public readonly int $refreshExpiresIn,
        public readonly float $expiresAt,
        public readonly string $tokenType = 'Bearer',
    ) {
    }

    /** Tokens are secrets: keep them out of var_dump and logs. @return array<string, mixed> */
    public function __debugInfo(): array
    {
        return ['expiresIn' => $this->expiresIn, 'expiresAt' => $this->expiresAt];
    }
}
