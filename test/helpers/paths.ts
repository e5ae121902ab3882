// Paths into the repository for tests: computed here, once, never from a test file's own folder (test files
// move with the modules they test; this file stays in test/helpers/).
import path from 'node:path';

/** The repository root (where package.json is). */
export const repoRoot = path.resolve(import.meta.dirname, '../..');

/** test/fixtures/… */
export const fixturesDir = path.join(repoRoot, 'test/fixtures');
