// The console's bundle (docs/console-web.md), run by `npm ci` (postinstall) and `npm run build:console`:
// vite builds console/ into console/dist, which the server serves at /console. Vite is a development dependency,
// like TypeScript for dist/ (scripts/build.mjs): a production install (`npm ci --omit=dev` after the build stage)
// has no vite and keeps the bundle the build stage made; without a bundle the server answers /console with 503.
//
//   node scripts/build-console.mjs             build now
//   node scripts/build-console.mjs --if-able   build when vite is installed, else keep what is there
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { ROOT } from './dist-state.mjs';

let vite;
try {
  // vite's exports do not list its bin: find it from its package.json.
  const pkg = createRequire(import.meta.url).resolve('vite/package.json');
  vite = path.join(path.dirname(pkg), 'bin', 'vite.js');
} catch {
  const why = 'vite is not installed (a production install: npm ci --omit=dev)';
  if (!process.argv.includes('--if-able')) {
    process.stderr.write(`console build failed: ${why}; build with the development dependencies, then prune\n`);
    process.exit(1);
  }
  if (!existsSync(path.join(ROOT, 'console', 'dist', 'index.html')))
    process.stderr.write(`console build: ${why} and there is no console/dist: /console will answer 503\n`);
  process.exit(0);
}
const r = spawnSync(process.execPath, [vite, 'build', '--config', path.join(ROOT, 'console', 'vite.config.ts')], {
  cwd: ROOT,
  stdio: 'inherit',
});
process.exit(r.status ?? 1);
