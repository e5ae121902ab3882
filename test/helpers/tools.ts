// Outside binaries some test files drive (chromium, redis-server, php). CI installs them and must run every
// test (.ci/run sets CI=true), so there a missing one fails the test. On a laptop without one, `npm test` reports
// that file's tests as skipped and says what to install, instead of failing for a tool the app never needs.
import { execFileSync } from 'node:child_process';

export function hasBinary(name: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** True when the tests that need `name` must run here; warns once when they will be skipped. */
export function mustRunWith(name: string, install: string): boolean {
  if (process.env.CI || hasBinary(name)) return true;
  console.warn(`[tests] ${name} not found: its tests are skipped here (CI runs them). Install: ${install}`);
  return false;
}
