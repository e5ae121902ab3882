<?php

declare(strict_types=1);

namespace KosherCatalog\Tests;

use KosherCatalog\Client;
use PHPUnit\Framework\TestCase;

/**
 * Installable both ways: Composer's PSR-4 mapping from composer.json finds every class, and one require of
 * src/autoload.php does too; the version is the same everywhere.
 */
final class PackagingTest extends TestCase
{
    private const ROOT = __DIR__ . '/..';

    /** @return list<string> every class name under src/, from its path (PSR-4) */
    private static function classes(): array
    {
        $out = [];
        $files = new \RecursiveIteratorIterator(new \RecursiveDirectoryIterator(self::ROOT . '/src', \FilesystemIterator::SKIP_DOTS));
        foreach ($files as $file) {
            $relative = substr($file->getPathname(), strlen(self::ROOT . '/src/'));
            if ($relative !== 'autoload.php' && str_ends_with($relative, '.php')) {
                $out[] = 'KosherCatalog\\' . str_replace('/', '\\', substr($relative, 0, -4));
            }
        }
        sort($out);
        return $out;
    }

    /** Loads every class in a fresh PHP process set up by $prelude; returns what failed to load. */
    private static function loadAll(string $prelude): array
    {
        $script = $prelude . '$missing = []; foreach (json_decode($argv[1]) as $c) { if (!class_exists($c) && !interface_exists($c)) { $missing[] = $c; } } echo json_encode($missing);';
        $cmd = escapeshellarg(PHP_BINARY) . ' -r ' . escapeshellarg($script) . ' ' . escapeshellarg(json_encode(self::classes()));
        exec($cmd . ' 2>&1', $lines, $code);
        if ($code !== 0) {
            throw new \RuntimeException(implode("\n", $lines));
        }
        return json_decode(implode('', $lines), true);
    }

    public function testComposerPsr4MappingFindsEveryClass(): void
    {
        $composer = json_decode(file_get_contents(self::ROOT . '/composer.json'), true, 512, JSON_THROW_ON_ERROR);
        $this->assertSame(['KosherCatalog\\' => 'src/'], $composer['autoload']['psr-4']);
        $this->assertSame(['php' => '>=8.1', 'ext-curl' => '*', 'ext-json' => '*'], $composer['require']);
        // What Composer's generated autoloader does with that mapping, without Composer (not installed here).
        $root = realpath(self::ROOT);
        $prelude = 'spl_autoload_register(function ($c) { foreach (' . var_export($composer['autoload']['psr-4'], true) . ' as $p => $d) { if (str_starts_with($c, $p)) { $f = ' . var_export($root, true) . ' . "/" . $d . str_replace("\\\\", "/", substr($c, strlen($p))) . ".php"; if (is_file($f)) { require $f; } } } });';
        $this->assertGreaterThan(20, count(self::classes()));
        $this->assertSame([], self::loadAll($prelude));
    }

    public function testOneRequireOfTheAutoloaderFindsEveryClass(): void
    {
        $this->assertSame([], self::loadAll('require ' . var_export(realpath(self::ROOT . '/src/autoload.php'), true) . ';'));
    }

    public function testOneVersionEverywhere(): void
    {
        $composer = json_decode(file_get_contents(self::ROOT . '/composer.json'), true, 512, JSON_THROW_ON_ERROR);
        $this->assertSame('0.2.0', Client::VERSION);
        $this->assertSame(Client::VERSION, $composer['version']);
        $this->assertStringContainsString('## ' . Client::VERSION, file_get_contents(self::ROOT . '/CHANGELOG.md'));
    }
}
