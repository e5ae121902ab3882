// Runs an npm script (`npm run -s admin -- ...`, `npm run -s migrate`, ...) as a separate OS process in the repository,
// with exactly the environment given (plus PATH/HOME): how an operator runs our CLIs beside a running server.
import { spawn } from 'node:child_process';
import { repoRoot } from './paths.ts';

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export { repoRoot };

export function runNpm(args: string[], env: Record<string, string>, timeoutMs = 45_000): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('npm', ['run', '-s', ...args], {
      cwd: repoRoot,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`npm run ${args.join(' ')} did not finish in ${timeoutMs} ms\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** The JSON document an admin CLI command printed. */
export function cliJson(r: CliResult): any {
  if (r.code !== 0) throw new Error(`CLI exited with ${r.code}: ${r.stderr}${r.stdout}`);
  return JSON.parse(r.stdout);
}
