// Runs a reference client's own test suite (Python unittest, PHPUnit) as a child process against the live harness.
// The harness (app, lossy proxy, webhook sink) lives in this vitest process, so the child must run asynchronously:
// a spawnSync would block the event loop that serves the child's requests.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { hasBinary } from '../helpers/tools.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');

export interface SuiteRun {
  code: number | null;
  output: string;
}

/** Runs `cmd args` in the repository root with `env` added, stdout and stderr interleaved; killed after `timeoutMs`. */
export function runSuite(
  cmd: string,
  args: string[],
  env: Record<string, string>,
  timeoutMs: number,
): Promise<SuiteRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (output += c.toString('utf8')));
    const timer = setTimeout(() => {
      output += `\n[runner] killed after ${timeoutMs} ms\n`;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(new Error(`cannot run ${cmd}: ${e.message}`));
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

/**
 * What to install when a tool the suite needs is missing, else null. The runner fails its test with this message
 * (never skips: CI installs the tools, .ci/run).
 */
export function missingTools(tools: { name: string; present: boolean }[], install: string): string | null {
  const missing = tools.filter((t) => !t.present).map((t) => t.name);
  return missing.length ? `missing ${missing.join(', ')}: install them (${install}); CI does (.ci/run)` : null;
}

export { hasBinary };
