<?php

declare(strict_types=1);

// The client is loaded the way a project without Composer would: one require.
require dirname(__DIR__) . '/src/autoload.php';
require __DIR__ . '/Support.php';
