// npm run check:citations — fails when the docs, the README or a code comment cite a repository path (or a
// `file.md#heading`) that does not exist (src/platform/contracts/cited-paths.ts). --root DIR checks another
// checkout (the test plants a broken citation in a copy).
import { execFileSync, spawnSync } from 'node:child_process';
import path from 'node:path';
import { brokenCitations } from '../../platform/contracts/cited-paths.ts';

const rootArg = process.argv.indexOf('--root');
const root = rootArg > 0 ? path.resolve(process.argv[rootArg + 1]) : path.resolve(import.meta.dirname, '../../..');
/** What is checked: the living text. CHANGELOG.md and bench reports are history and may cite what has moved. */
const CHECKED =
  /^(README\.md|docs\/.*\.md|clients\/[^/]+\/README\.md|(src|test|clients)\/.*\.(ts|js|mjs|py|php|cjs)|\.dependency-cruiser\.cjs|vitest\.config\.ts|\.ci\/run)$/;
const SKIPPED = /^(test\/consumer\/(gql|rest\/generated)\/|clients\/typescript\/src\/openapi\.d\.ts$)/;

const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], {
  cwd: root,
  encoding: 'utf8',
})
  .split('\n')
  .filter((f) => CHECKED.test(f) && !SKIPPED.test(f));
const ignored = (p: string) => spawnSync('git', ['check-ignore', '-q', '--no-index', p], { cwd: root }).status === 0;
const broken = brokenCitations(root, files, ignored);
for (const b of broken) process.stderr.write(`${b.file}:${b.line}: ${b.cited}: ${b.problem}\n`);
process.stdout.write(`citations: ${files.length} files, ${broken.length} broken\n`);
process.exit(broken.length ? 1 : 0);
