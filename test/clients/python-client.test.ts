// The Python reference client (clients/python): its own unittest suite run live against the harness
// (test/clients/live-server.ts) with a provisioned 'python' account. The suite covers token refresh across an
// expired token, a retry after a lost answer charged once, 429 backoff, a verified webhook delivery, typed errors,
// the listing iterator, chunked bulk checks, image downloads, the examples and an offline `pip install`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LiveServer, provisionLanguage, startLiveServer } from './live-server.ts';
import { hasBinary, missingTools, runSuite } from './suite-runner.ts';

let server: LiveServer;
let env: Record<string, string>;

const missing = missingTools(
  [{ name: 'python3', present: hasBinary('python3') }],
  'apt-get install python3 python3-venv',
);

beforeAll(async () => {
  if (missing) return; // the test fails with the message; no harness needed for that
  server = await startLiveServer();
  env = await provisionLanguage(server, 'python');
});
afterAll(async () => {
  await server?.close();
});

describe('Python reference client', () => {
  it('passes its live suite', { timeout: 240_000 }, async () => {
    expect(missing).toBeNull();
    const run = await runSuite(
      'python3',
      ['-m', 'unittest', 'discover', '-s', 'clients/python/tests', '-v'],
      // No __pycache__ written into the repository by a test run.
      { ...env, PYTHONDONTWRITEBYTECODE: '1' },
      220_000,
    );
    expect(run.code, run.output).toBe(0);
    const ran = Number(/^Ran (\d+) tests? in/m.exec(run.output)?.[1] ?? 0);
    expect(ran, run.output).toBeGreaterThanOrEqual(40);
    expect(run.output, 'nothing may be skipped').not.toMatch(/skipped=|expected failures=/);
  });
});
