// What every serving process does at the edges of its life, in one place for the single process, the primary of
// WORKERS > 1 and its workers: a failed start says why on one line; SIGTERM/SIGINT stop gracefully, once, and
// also when they arrive during start-up (docs/operations.md#readiness-and-drain): the handlers exist before the
// database is opened, so a signal while the embedded PostgreSQL starts, migrations run or the demo catalog is
// seeded lets that step finish and then stops what was started, instead of killing the process and leaving the
// embedded PostgreSQL running.

import { errorText } from '../kernel/error-text.ts';
import type { Logger } from '../kernel/logger.ts';
import { shutdownTracing } from '../kernel/tracing.ts';

/** Why a start failed, as one line an operator can act on (never only "start-up failed"). */
export function startupReason(e: unknown): string {
  let why = errorText(e);
  if ((e as NodeJS.ErrnoException)?.code === 'EADDRINUSE')
    why += ' (another instance on this port? set PORT, or stop it)';
  return why;
}

/** The reason in the log and on stderr, then exit 1. */
export function failStartup(log: Logger, e: unknown, why = startupReason(e)): void {
  log.fatal({ err: e instanceof Error ? e : undefined, reason: why }, 'start-up failed');
  process.stderr.write(`start-up failed: ${why}\n`, () => process.exit(1));
}

export interface Signals {
  /** A stop signal has arrived (during start-up or after). */
  readonly received: boolean;
  /**
   * How to stop once started: runs `stop` now if a signal came during start-up, else on the first signal. Then
   * exits with its code. Call once, when what `stop` stops exists.
   */
  started(stop: () => Promise<number | undefined>): void;
}

/**
 * Installs the SIGTERM/SIGINT handlers now (a terminal's Ctrl-C reaches a primary and its workers alike). Until
 * `started` is called a signal is only recorded and logged; the first signal after it, or the recorded one, runs
 * the stop, once.
 */
export function catchSignals(log: Logger): Signals {
  let received: string | undefined;
  let stop: (() => Promise<number | undefined>) | undefined;
  let stopping = false;
  const run = async () => {
    if (stopping || !stop) return;
    stopping = true;
    try {
      const code = (await stop()) ?? 0;
      await shutdownTracing(); // the last spans (docs/operations.md#traces)
      log.info('stopped');
      process.exit(code);
    } catch (e) {
      log.error({ err: e }, 'shutdown failed');
      process.exit(1);
    }
  };
  const onSignal = (signal: string) => {
    if (received) {
      log.info({ signal }, 'already stopping');
      return;
    }
    received = signal;
    if (stop) log.info({ signal }, 'shutting down');
    else log.info({ signal }, 'signal during start-up: stopping once the step in progress is done');
    void run();
  };
  process.on('SIGTERM', () => onSignal('SIGTERM'));
  process.on('SIGINT', () => onSignal('SIGINT'));
  return {
    get received() {
      return received !== undefined;
    },
    started(fn) {
      stop = fn;
      if (received) {
        log.info({ signal: received }, 'shutting down');
        void run();
      }
    },
  };
}
