// The console's build for tests that need it (the browser tests; the server's registration of the console's
// persisted operations): console/dist from the current sources.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { repoRoot as ROOT } from './paths.ts';

const CONSOLE = path.join(ROOT, 'console');

function newest(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

/**
 * Builds console/dist when it is missing or older than a source (a checkout after `npm ci` has it; a test run after
 * editing the console must not test the old bundle). Before the app starts: the server reads the build once.
 */
export function ensureConsoleBuilt(): void {
  const index = path.join(CONSOLE, 'dist/index.html');
  const sources = Math.max(
    newest(path.join(CONSOLE, 'src')),
    statSync(path.join(CONSOLE, 'index.html')).mtimeMs,
    statSync(path.join(CONSOLE, 'vite.config.ts')).mtimeMs,
  );
  if (
    existsSync(index) &&
    existsSync(path.join(CONSOLE, 'dist/persisted-documents.json')) &&
    statSync(index).mtimeMs >= sources
  )
    return;
  execFileSync(
    process.execPath,
    [path.join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--config', 'console/vite.config.ts'],
    { cwd: ROOT, stdio: 'pipe', timeout: 120_000 },
  );
}
