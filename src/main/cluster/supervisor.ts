// The primary of WORKERS > 1 (docs/operations.md#worker-processes). node:cluster shares every listening port
// (public, admin, HTTP redirect) among the workers and hands each new connection to the next one (round robin,
// the default outside Windows), so one port is served by N processes. The primary serves nothing itself:
// - it does the once-per-node work: migrations (and the embedded PostgreSQL when DATABASE_URL is unset; it holds
//   a lease on it until the last worker is gone), then, once every worker listens, the demo catalog and the banner;
// - a worker that dies unexpectedly is replaced after a backoff; a crash loop is bounded: after too many restarts
//   in a minute the node stops with the reason instead of spinning;
// - SIGTERM/SIGINT go to every worker, which drains (SHUTDOWN_DRAIN_MS), finishes its in-flight requests
//   (SHUTDOWN_GRACE_MS) and exits; the primary waits for them (a straggler is killed after both periods) and exits;
//   a signal during start-up waits for the step in progress (migrations, workers starting, demo seeding), then
//   does the same, so the embedded PostgreSQL is never left running;
// - when the workers cannot start at all (port in use, database unreachable), it stops the others and exits 1
//   with the reason on one line on stderr.
import cluster, { type Worker } from 'node:cluster';
import type { Logger } from '../../kernel/logger.ts';
import { type Deployment, prepareDeployment } from '../bootstrap.ts';
import type { Config } from '../config.ts';
import { prepareDemo } from '../demo/demo.ts';
import type { DevKeys } from '../dev-keys.ts';
import { catchSignals, failStartup } from '../lifecycle.ts';
import { serveClusterMetrics } from './cluster-metrics.ts';
import { isWorkerMessage } from './messages.ts';

/** Worker deaths counted over this window; more than restartCap(n) in it end the node (a crash loop, not bad luck). */
const RESTART_WINDOW_MS = 60_000;
const restartCap = (workers: number) => Math.max(5, 2 * workers);
/** First restart after 250 ms, doubling with each recent crash, at most 5 s apart. */
const RESTART_BASE_MS = 250;
const RESTART_MAX_MS = 5_000;
/** Beyond SHUTDOWN_GRACE_MS, how long a worker may take to close its pools before it is killed. */
const EXIT_SLACK_MS = 5_000;

class StartupFailed extends Error {}

export async function runPrimary(config: Config, log: Logger, devKeys: DevKeys): Promise<void> {
  const n = config.process.workers;
  const live = new Map<number, Worker>();
  const restartTimers = new Set<NodeJS.Timeout>();
  const crashes: number[] = [];
  let stopping = false;
  let deployment: Deployment | null = null;
  let started = false;
  let startup: {
    ready: Set<number>;
    resolve: (url: { url: string; adminUrl: string }) => void;
    reject: (e: Error) => void;
  };

  /** Signals every worker, waits for all to exit (bounded), then releases the database. Exit code of the node. */
  const stopAll = async (): Promise<number> => {
    stopping = true;
    for (const t of restartTimers) clearTimeout(t);
    restartTimers.clear();
    const exits = [...live.values()].map(
      (w) =>
        new Promise<void>((resolve) => {
          if (w.isDead()) return resolve();
          w.once('exit', () => resolve());
          w.process.kill('SIGTERM');
        }),
    );
    let killed = false;
    const deadline = setTimeout(
      () => {
        for (const w of live.values())
          if (!w.isDead()) {
            killed = true;
            log.warn({ worker_id: w.id, worker_pid: w.process.pid }, 'worker did not stop in time; killing it');
            w.process.kill('SIGKILL');
          }
      },
      config.process.shutdownDrainMs + config.http.shutdownGraceMs + EXIT_SLACK_MS,
    );
    await Promise.all(exits);
    clearTimeout(deadline);
    await deployment?.close();
    deployment = null;
    return killed ? 1 : 0;
  };

  const fork = (): Worker => {
    const w = cluster.fork();
    const pid = w.process.pid;
    live.set(w.id, w);
    let failure: string | undefined;
    w.on('message', (m: unknown) => {
      if (!isWorkerMessage(m)) return;
      if (m.kc === 'failed') failure = m.reason;
      if (m.kc !== 'ready') return;
      if (!started) {
        startup.ready.add(w.id);
        if (startup.ready.size === n) startup.resolve({ url: m.url, adminUrl: m.adminUrl });
      } else log.info({ worker_id: w.id, worker_pid: pid, workers: live.size }, 'worker replaced');
    });
    w.on('exit', (code, signal) => {
      live.delete(w.id);
      if (stopping) return;
      const why = failure ?? (signal ? `killed by ${signal}` : `exit code ${code}`);
      if (!started) {
        startup.reject(new StartupFailed(`worker ${w.id} could not start: ${why}`));
        return;
      }
      const now = Date.now();
      crashes.push(now);
      while (crashes.length && crashes[0] < now - RESTART_WINDOW_MS) crashes.shift();
      if (crashes.length > restartCap(n)) {
        log.fatal({ deaths: crashes.length, last: why }, 'workers keep crashing; stopping the node');
        void stopAll().then(() =>
          process.stderr.write(
            `workers keep crashing: ${crashes.length} worker deaths within ${RESTART_WINDOW_MS / 1000} s; last: ${why}\n`,
            () => process.exit(1),
          ),
        );
        return;
      }
      const delay = Math.min(RESTART_MAX_MS, RESTART_BASE_MS * 2 ** (crashes.length - 1));
      log.error({ worker_id: w.id, worker_pid: pid, reason: why, restart_in_ms: delay }, 'worker died; replacing it');
      const t = setTimeout(() => {
        restartTimers.delete(t);
        if (!stopping) fork();
      }, delay);
      restartTimers.add(t);
    });
    return w;
  };

  const signals = catchSignals(log);
  try {
    deployment = await prepareDeployment(config, log);
    if (signals.received) return signals.started(stopAll); // nothing forked yet: releases the database
    serveClusterMetrics();
    const listening = await new Promise<{ url: string; adminUrl: string }>((resolve, reject) => {
      startup = { ready: new Set(), resolve, reject };
      for (let i = 0; i < n; i++) fork();
    });
    started = true;
    log.info(
      {
        workers: n,
        url: listening.url,
        admin_url: listening.adminUrl,
        worker_pids: [...live.values()].map((w) => w.process.pid),
      },
      'workers ready',
    );
    const { sql, sandboxSql, blobs } = deployment;
    if (!signals.received)
      await prepareDemo({ url: listening.url, infra: { sql, sandboxSql, blobs, log, config } }, config, devKeys);
    signals.started(stopAll);
  } catch (e) {
    if (stopping) return; // a signal during start-up: stopAll is already on its way
    await stopAll().catch(() => {});
    // A terminal's Ctrl-C reaches the starting workers too, and they end at once: that is a stop, not a failure.
    if (signals.received) {
      log.info('stopped during start-up');
      process.exit(0);
    }
    failStartup(log, e, e instanceof StartupFailed ? e.message : undefined);
  }
}
