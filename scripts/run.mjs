// The entry of `npm start` and of the CLIs (`npm run migrate|seed|admin|...`): runs the built JavaScript in dist/,
// with plain Node, when dist/ is the build of the src/ beside it (always so in production: `npm ci` builds it, and a
// production image has no src/). In a development checkout whose src/ changed since the last build it runs src/
// through tsx instead of stale code (tsx is a development dependency; `npm run build` refreshes dist/).
//
//   node scripts/run.mjs main/main [args]          what `npm start` runs (with the telemetry preload first)
//   node scripts/run.mjs main/cli/admin.cli [args] a CLI
//
// The module then sees the process as if started directly: process.argv[1] is its own file, and node:cluster
// forks workers with the same file and the same preloads.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { distIsFresh, ROOT } from './dist-state.mjs';

const [entry, ...args] = process.argv.slice(2);
if (!entry || !/^[a-z0-9/._-]+$/i.test(entry)) {
  process.stderr.write('usage: node scripts/run.mjs <module under src/, without extension> [args]\n');
  process.exit(2);
}

let dir = 'dist';
let ext = '.js';
if (!distIsFresh()) {
  try {
    const { register } = await import('tsx/esm/api');
    register();
    // Workers forked by node:cluster load their entry through tsx as well.
    process.execArgv.push('--import', 'tsx');
    dir = 'src';
    ext = '.ts';
  } catch {
    process.stderr.write('error: dist/ is missing or older than src/, and tsx is not installed: run npm run build\n');
    process.exit(1);
  }
}

const file = path.join(ROOT, dir, `${entry}${ext}`);
// The process entry preloads the OpenTelemetry hooks before it imports node:http (src/platform/telemetry/register.ts).
if (entry === 'main/main') {
  const register = path.join(ROOT, dir, `platform/telemetry/register${ext}`);
  process.execArgv.push('--import', pathToFileURL(register).href);
  await import(pathToFileURL(register).href);
}
process.argv = [process.argv[0], file, ...args];
await import(pathToFileURL(file).href);
