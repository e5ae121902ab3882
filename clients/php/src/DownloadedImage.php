<?php

declare(strict_types=1);

namespace KosherCatalog;

/** A redeemed signed image URL, saved at $path. */
final class DownloadedImage
{
    public function __construct(
        public readonly string $path,
        public readonly string $contentType,
        public readonly int $size,
        public readonly ?string $etag = null,
        public readonly ?string $filename = null,
    ) {
    }
}
