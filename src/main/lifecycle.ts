// What every serving process does at the edges of its life, in one place for the single process, the primary of
// WORKERS > 1 and its workers: a failed start says why on one line; SIGTERM/SIGINT stop gracefully, once.

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

/** SIGTERM/SIGINT run `stop` once (a terminal's Ctrl-C reaches a primary and its workers alike), then exit. */
export function stopOnSignals(log: Logger, stop: () => Promise<number | undefined>): void {
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
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
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}
