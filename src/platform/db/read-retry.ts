// Idempotent reads survive one dead connection (docs/durability.md#the-connection-pool). A query that was on a
// connection when its backend ended fails with a connection-level error although nothing is wrong with the
// query; the pool has already dropped that connection, so a second try runs on a fresh one. Only for reads
// that change nothing (catalog lookups, pricing, balances, client rows): never for a debit or any write, whose
// first try may have committed before the connection died.
function isConnectionLost(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return false;
  return (
    ['CONNECTION_CLOSED', 'CONNECTION_DESTROYED', 'ECONNRESET', 'EPIPE', 'ECONNREFUSED'].includes(code) ||
    // admin_shutdown (pg_terminate_backend, fast shutdown), crash_shutdown, cannot_connect_now (starting up)
    ['57P01', '57P02', '57P03'].includes(code) ||
    // connection_exception and its subclasses
    code.startsWith('08')
  );
}

/** Runs a read-only query; on a connection-level error runs it once more after `delayMs`. */
export async function readWithRetry<T>(read: () => Promise<T>, delayMs = 50): Promise<T> {
  try {
    return await read();
  } catch (e) {
    if (!isConnectionLost(e)) throw e;
    await new Promise((r) => setTimeout(r, delayMs));
    return read();
  }
}
