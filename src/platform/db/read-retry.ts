// Idempotent reads survive dead connections (docs/durability.md#the-connection-pool). A query that was on a
// connection when its backend ended fails with a connection-level error although nothing is wrong with the
// query. The pool drops that connection, but the next idle one may be dead too (every backend terminated at
// once, a restart, a peer that vanished without a word): each is found out only by writing a statement on it.
// So the read is tried again, at once while that finds dead connections one by one, then with a short backoff
// while the server refuses or is starting up, until it succeeds or a bounded number of tries and a time budget
// are spent. Only for reads that change nothing (catalog lookups, pricing, balances, client rows): never for a
// debit or any write, whose first try may have committed before the connection died.

/** Codes of a connection that died (the statement may have been on it): the pool has already dropped it. */
const DEAD_CONNECTION = new Set(['CONNECTION_CLOSED', 'CONNECTION_DESTROYED', 'ECONNRESET', 'EPIPE', '57P01', '57P02']);

function isConnectionLost(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return false;
  return (
    DEAD_CONNECTION.has(code) ||
    // refused (the server is down or restarting), cannot_connect_now (starting up), a connect that timed out
    ['ECONNREFUSED', '57P03', 'CONNECT_TIMEOUT'].includes(code) ||
    // connection_exception and its subclasses
    code.startsWith('08')
  );
}

/** Tries at most: more than the largest pool (DATABASE_POOL_SIZE, up to 200) has connections, each maybe dead. */
const MAX_TRIES = 256;
/** After this long since the first try, a failure is final (the request answers 503 with Retry-After). */
const BUDGET_MS = 5_000;

/**
 * Runs a read-only query; on a connection-level error runs it again: right away while connections turn out dead
 * (each try discards one), with a backoff from `delayMs` doubling to 1 s when the server itself refuses.
 */
export async function readWithRetry<T>(read: () => Promise<T>, delayMs = 50): Promise<T> {
  const started = Date.now();
  let wait = delayMs;
  for (let tries = 1; ; tries++) {
    try {
      return await read();
    } catch (e) {
      if (!isConnectionLost(e) || tries >= MAX_TRIES || Date.now() - started >= BUDGET_MS) throw e;
      const code = (e as { code: string }).code;
      if (DEAD_CONNECTION.has(code)) {
        // The next connection is tried almost at once. Not in the same turn (setImmediate): a statement handed
        // to the pool while it is still closing the dead connection was seen to wait forever (postgres 3.4.9).
        await new Promise((r) => setTimeout(r, 5));
        continue;
      }
      await new Promise((r) => setTimeout(r, Math.min(wait, BUDGET_MS - (Date.now() - started))));
      wait = Math.min(wait * 2, 1_000);
    }
  }
}
