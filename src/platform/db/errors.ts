// Which failures are the database's (kc_database_errors_total): a PostgreSQL error, or a lost/refused connection.
import postgres from 'postgres';

const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'CONNECT_TIMEOUT',
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
]);

export function isDatabaseError(e: unknown): boolean {
  if (e instanceof postgres.PostgresError) return true;
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' && CONNECTION_CODES.has(code);
}
