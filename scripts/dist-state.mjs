// Whether dist/ is the build of the src/ beside it (scripts/build.mjs writes the stamp last, after a whole build).
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '..');
export const STAMP = '.build-stamp';

function newestMtime(dir) {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

/** dist/ is built and no file under src/ (nor the build's tsconfig) changed since; an image without src/ is fresh. */
export function distIsFresh() {
  let built;
  try {
    built = statSync(path.join(ROOT, 'dist', STAMP)).mtimeMs;
  } catch {
    return false;
  }
  let sources;
  try {
    sources = Math.max(
      newestMtime(path.join(ROOT, 'src')),
      statSync(path.join(ROOT, 'tsconfig.json')).mtimeMs,
      statSync(path.join(ROOT, 'tsconfig.build.json')).mtimeMs,
    );
  } catch {
    return true; // no src/ (a production image): dist/ is all there is
  }
  return sources <= built;
}
