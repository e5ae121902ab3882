<?php

declare(strict_types=1);

// Without Composer: `require 'clients/php/src/autoload.php';` maps KosherCatalog\ to this directory (PSR-4, the same
// mapping as composer.json's autoload section).
spl_autoload_register(static function (string $class): void {
    $prefix = 'KosherCatalog\\';
    if (!str_starts_with($class, $prefix)) {
        return;
    }
    $file = __DIR__ . '/' . str_replace('\\', '/', substr($class, strlen($prefix))) . '.php';
    if (is_file($file)) {
        require $file;
    }
});
