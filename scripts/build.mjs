// `npm run build` (docs/operations.md#the-build): src/ to plain JavaScript in dist/ (same layout), plus the files
// that are not TypeScript (the SQL migrations), so that production runs `node dist/...` with no TypeScript loader.
// Plain JavaScript itself: it must run before anything is built.
//
//   node scripts/build.mjs             build now
//   node scripts/build.mjs --if-stale  build only when dist/ is missing or older than src/ (what `npm ci` runs as
//                                      `prepare`); without TypeScript (a production install) it builds nothing
//                                      and says why: dist/ must then come from the build stage.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { distIsFresh, ROOT, STAMP } from './dist-state.mjs';

const ifStale = process.argv.includes('--if-stale');
const dist = path.join(ROOT, 'dist');

if (ifStale && distIsFresh()) process.exit(0);

let tsc;
try {
  tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
} catch {
  const why = 'TypeScript is not installed (a production install: npm ci --omit=dev)';
  if (!ifStale) {
    process.stderr.write(`build failed: ${why}; build with the development dependencies, then prune\n`);
    process.exit(1);
  }
  if (!existsSync(path.join(dist, 'main', 'main.js')))
    process.stderr.write(`build: ${why} and there is no dist/: npm start will not run until dist/ is built\n`);
  process.exit(0);
}

// Into a fresh directory, then swapped in: a process starting meanwhile sees the old dist/ or the new one, whole.
const next = path.join(ROOT, `dist.next-${process.pid}`);
rmSync(next, { recursive: true, force: true });
const t0 = Date.now();
const r = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--noCheck', '--outDir', next], {
  cwd: ROOT,
  stdio: 'inherit',
});
if (r.status !== 0) {
  rmSync(next, { recursive: true, force: true });
  process.stderr.write(`build failed: tsc exited with ${r.status ?? r.signal}\n`);
  process.exit(1);
}

/** Every file under src/ that is not TypeScript, at the same place under dist/ (migrations; patches are install-time). */
function copyAssets(from, to) {
  for (const e of readdirSync(from, { withFileTypes: true })) {
    const src = path.join(from, e.name);
    const dst = path.join(to, e.name);
    if (e.isDirectory()) copyAssets(src, dst);
    else if (!e.name.endsWith('.ts')) {
      mkdirSync(to, { recursive: true });
      cpSync(src, dst);
    }
  }
}
copyAssets(path.join(ROOT, 'src'), next);
writeFileSync(path.join(next, STAMP), `${new Date().toISOString()}\n`);

const old = path.join(ROOT, `dist.old-${process.pid}`);
if (existsSync(dist)) renameSync(dist, old);
renameSync(next, dist);
rmSync(old, { recursive: true, force: true });
process.stdout.write(`build: dist/ written in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
