// The Node every process of the bench runs on (the API, the floors, PostGraphile): Node 22, as production and
// PostGraphile's users run it. When the machine's own node is older, Node 22 comes from the registry's `node`
// package through `npm exec` (cached under ~/.npm/_npx after the first run), as test/smoke/node22.sh does.
// BENCH_NODE=/path/to/node overrides it.
import { execFileSync } from 'node:child_process';
import { ROOT } from './bench-proc.ts';

export const BENCH_NODE_MAJOR = 22;

export interface BenchNode {
  bin: string;
  /** e.g. v22.23.3: every row of the report names it. */
  version: string;
}

export function benchNode(): BenchNode {
  const own = Number(process.versions.node.split('.')[0]);
  const bin =
    process.env.BENCH_NODE ??
    (own === BENCH_NODE_MAJOR
      ? process.execPath
      : execFileSync(
          'npm',
          ['exec', '--yes', `--package=node@${BENCH_NODE_MAJOR}`, '--', 'node', '-p', 'process.execPath'],
          { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
        ).trim());
  const version = execFileSync(bin, ['-v'], { encoding: 'utf8' }).trim();
  if (!version.startsWith(`v${BENCH_NODE_MAJOR}.`))
    throw new Error(`bench: ${bin} is Node ${version}, not ${BENCH_NODE_MAJOR} (BENCH_NODE overrides it)`);
  return { bin, version };
}
