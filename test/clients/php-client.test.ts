// The PHP reference client (clients/php): its own PHPUnit suite run live against the harness
// (test/clients/live-server.ts) with a provisioned 'php' account. The suite covers token refresh across an expired
// token, a retry after a lost answer charged once, 429 backoff, a verified webhook delivery, typed errors, the
// listing iterator, chunked bulk checks, image downloads, the examples and both ways of autoloading.
// php, its curl extension and phpunit must be installed (.ci/run installs them); a missing one fails the test.
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LiveServer, provisionLanguage, startLiveServer } from './live-server.ts';
import { hasBinary, missingTools, runSuite } from './suite-runner.ts';

let server: LiveServer;
let env: Record<string, string>;

function phpHasCurl(): boolean {
  try {
    return /^curl$/m.test(execFileSync('php', ['-m'], { encoding: 'utf8' }));
  } catch {
    return false;
  }
}

const php = hasBinary('php');
const missing = missingTools(
  [
    { name: 'php', present: php },
    { name: 'php-curl', present: php && phpHasCurl() },
    { name: 'phpunit', present: hasBinary('phpunit') },
  ],
  'apt-get install php-cli php-curl phpunit',
);

beforeAll(async () => {
  if (missing) return; // the test fails with the message; no harness needed for that
  server = await startLiveServer();
  env = await provisionLanguage(server, 'php');
});
afterAll(async () => {
  await server?.close();
});

describe('PHP reference client', () => {
  it('passes its live suite', { timeout: 240_000 }, async () => {
    expect(missing).toBeNull();
    const run = await runSuite('phpunit', ['-c', 'clients/php/phpunit.xml'], env, 220_000);
    expect(run.code, run.output).toBe(0);
    const ran = Number(/^OK \((\d+) tests?,/m.exec(run.output)?.[1] ?? 0);
    expect(ran, run.output).toBeGreaterThanOrEqual(40);
  });
});
