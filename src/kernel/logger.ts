// Structured logs. Each request gets a child logger carrying its request id (src/kernel/request-context.ts).
// On a terminal (LOG_FORMAT=auto and a TTY, or LOG_FORMAT=pretty) lines are human-readable (pino-pretty, in
// process); otherwise one JSON object per line for a log shipper. Every line names its process: `worker` is 0 for
// a single process and for the primary of WORKERS > 1, else the cluster worker id (1, 2, ...; a replacement of a
// crashed worker gets a new id), and `pid` tells replaced workers apart (docs/operations.md#logs). With tracing
// on, every line written inside a span carries its trace_id and span_id (docs/operations.md#traces).
import pino, { type Logger } from 'pino';
import pretty from 'pino-pretty';
import { activeSpanIds, tracingOn } from './tracing.ts';

export type { Logger } from 'pino';

export function createLogger(
  level: string,
  opts: {
    pretty?: boolean;
    worker?: number;
    /** Where JSON lines go (default stdout); tests read them. */
    destination?: pino.DestinationStream;
  } = {},
): Logger {
  const stream = opts.pretty
    ? pretty({
        colorize: true,
        translateTime: 'SYS:HH:MM:ss',
        // A single process's lines need no worker id on a terminal; a cluster's do.
        ignore: opts.worker === undefined ? 'pid,hostname,service,worker' : 'pid,hostname,service',
        singleLine: true,
        sync: true,
      })
    : opts.destination;
  return pino(
    {
      level,
      base: { service: 'kosher-catalog', worker: opts.worker ?? 0, pid: process.pid },
      // Decided once: with tracing off (no SDK registered before the logger) lines are written as before.
      ...(tracingOn() ? { mixin: activeSpanIds } : {}),
      // Secrets never reach the log, even when someone logs a whole request or body by mistake.
      redact: {
        paths: [
          'api_key',
          '*.api_key',
          'refresh_token',
          '*.refresh_token',
          'access_token',
          '*.access_token',
          'token',
          '*.token',
          'req.headers.authorization',
          'headers.authorization',
          'password',
          '*.password',
        ],
        censor: '[redacted]',
      },
    },
    stream,
  );
}
