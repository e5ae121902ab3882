<?php

declare(strict_types=1);

namespace KosherCatalog\Exception;

/**
 * Base of everything this client throws on purpose. getErrorCode() is the stable code (the body's `error`),
 * getMessage() the text for humans, getRequestId() the id to quote to support, getHttpStatus() the status
 * (null when no answer came). PHP's own getCode() is the HTTP status as an int (0 without one).
 */
class KosherCatalogException extends \RuntimeException
{
    /** @param array<string, string> $headers response headers, lower-case names */
    public function __construct(
        private readonly string $errorCode,
        string $message,
        private readonly ?string $requestId = null,
        private readonly ?int $httpStatus = null,
        private readonly array $headers = [],
        ?\Throwable $previous = null,
    ) {
        parent::__construct($message, $httpStatus ?? 0, $previous);
    }

    public function getErrorCode(): string
    {
        return $this->errorCode;
    }

    public function getRequestId(): ?string
    {
        return $this->requestId;
    }

    public function getHttpStatus(): ?int
    {
        return $this->httpStatus;
    }

    /** @return array<string, string> */
    public function getHeaders(): array
    {
        return $this->headers;
    }

    public function __toString(): string
    {
        $status = $this->httpStatus !== null ? "HTTP {$this->httpStatus} " : '';
        $rid = $this->requestId !== null ? " (request_id {$this->requestId})" : '';
        return static::class . ": {$status}{$this->errorCode}: {$this->getMessage()}{$rid}";
    }
}
