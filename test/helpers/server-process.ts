// `src/main/main.ts` as a separate OS process, with WORKERS > 1 if asked: one node of a deployment. Resolves once the
// node serves (the primary's `workers ready` line, or the single process's `listening`), and keeps every JSON log
// line (the primary's and the workers' share its stdout) for a test to wait on. Two calls with the same
// DATABASE_URL, REDIS_URL and secrets give two nodes of one deployment.
import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { repoRoot } from './paths.ts';

export interface LogLine {
  msg?: string;
  worker?: number;
  pid?: number;
  [k: string]: unknown;
}

export interface NodeProcess {
  url: string;
  /** The admin listener (ADMIN_PORT), else `url`. */
  adminUrl: string;
  child: ChildProcess;
  /** Pids of the workers that were ready first (empty for WORKERS=1: the child itself serves). */
  workerPids: number[];
  /** Every JSON log line so far, in arrival order. */
  lines: LogLine[];
  /** stderr so far (the banner, a start-up failure). */
  stderr(): string;
  /** The first line (already seen or still to come) that matches; rejects after timeoutMs. */
  waitForLog(match: (l: LogLine) => boolean, timeoutMs?: number): Promise<LogLine>;
  /** Resolves when the child has exited. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGTERM, then wait for the exit (SIGKILL after timeoutMs). */
  stop(timeoutMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export interface ServerProcessOptions {
  env: Record<string, string>;
  /** WORKERS (default 1). */
  workers?: number;
  /** The node binary to run it on (default: the one running the tests), e.g. a Node 22 for the smoke. */
  node?: string;
  /** Preload the OpenTelemetry register module as `npm start` does (it starts an SDK only when told to). */
  telemetry?: boolean;
  readyTimeoutMs?: number;
}

/** Spawns the child without waiting for it to serve (a test of a start that must fail awaits `exited`). */
export function spawnNode(opts: ServerProcessOptions): Omit<NodeProcess, 'url' | 'adminUrl' | 'workerPids'> {
  const preload = opts.telemetry ? ['--import', './src/platform/telemetry/register.ts'] : [];
  const child = spawn(opts.node ?? process.execPath, ['--import', 'tsx', ...preload, 'src/main/main.ts'], {
    cwd: repoRoot,
    env: {
      PATH: process.env.PATH ?? '',
      PORT: '0',
      ...opts.env,
      WORKERS: String(opts.workers ?? 1),
      LOG_LEVEL: 'info',
      LOG_FORMAT: 'json',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: LogLine[] = [];
  const waiters = new Set<(l: LogLine) => void>();
  createInterface({ input: child.stdout! }).on('line', (text) => {
    let l: LogLine;
    try {
      l = JSON.parse(text);
    } catch {
      return; // not a log line
    }
    lines.push(l);
    for (const w of waiters) w(l);
  });
  let stderr = '';
  child.stderr!.on('data', (b: Buffer) => {
    stderr += b.toString();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const waitForLog = (match: (l: LogLine) => boolean, timeoutMs = 30_000) =>
    new Promise<LogLine>((resolve, reject) => {
      const seen = lines.find(match);
      if (seen) return resolve(seen);
      const done = () => {
        clearTimeout(timer);
        waiters.delete(check);
      };
      const check = (l: LogLine) => {
        if (!match(l)) return;
        done();
        resolve(l);
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`no matching log line within ${timeoutMs} ms; stderr: ${stderr.slice(-500)}`));
      }, timeoutMs);
      waiters.add(check);
      void exited.then(({ code, signal }) => {
        if (!waiters.has(check)) return;
        done();
        reject(
          new Error(`server process exited (${signal ?? code}) before the log line; stderr: ${stderr.slice(-500)}`),
        );
      });
    });
  return {
    child,
    lines,
    stderr: () => stderr,
    waitForLog,
    exited,
    async stop(timeoutMs = 30_000) {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const t = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
        const r = await exited;
        clearTimeout(t);
        return r;
      }
      return exited;
    },
  };
}

/** Spawns the node and waits until it serves on every worker. */
export async function startServerProcess(opts: ServerProcessOptions): Promise<NodeProcess> {
  const p = spawnNode(opts);
  const clustered = (opts.workers ?? 1) > 1;
  try {
    const ready = await p.waitForLog(
      (l) => l.msg === (clustered ? 'workers ready' : 'listening'),
      opts.readyTimeoutMs ?? 90_000,
    );
    return {
      ...p,
      url: ready.url as string,
      adminUrl: (ready.admin_url as string | undefined) ?? (ready.url as string),
      workerPids: clustered ? (ready.worker_pids as number[]) : [],
    };
  } catch (e) {
    await p.stop(5_000);
    throw e;
  }
}
