<?php
// GET /api/v1/usage: this month's requests and credits per action and day (free); from/to pick other days.
declare(strict_types=1);

require_once __DIR__ . '/../src/autoload.php'; // with Composer: require 'vendor/autoload.php';

use KosherCatalog\Client;
use KosherCatalog\Result;

function usage(Client $client): Result
{
    $report = $client->request('GET', '/api/v1/usage', ['group_by' => ['action', 'day']]);
    foreach ($report['rows'] as $row) {
        echo "{$row['day']} {$row['action']} {$row['requests']} requests, {$row['credits']} credits\n";
    }
    echo "total {$report['totals']['credits']} credits\n";
    return $report;
}

if (realpath($_SERVER['SCRIPT_FILENAME'] ?? '') === __FILE__) {
    usage(Client::fromEnv());
}
