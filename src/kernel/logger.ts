// Structured logs. Each request gets a child logger carrying its request id (src/http/request-context.ts).
import pino, { type Logger } from 'pino';

export type { Logger } from 'pino';

export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'kosher-catalog' },
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
  });
}
