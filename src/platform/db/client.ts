// The PostgreSQL client. Every repository receives a `Sql` from here; nothing else opens connections.
// Pool hygiene (docs/durability.md#the-connection-pool): a backend the server ends is dropped and replaced on
// the next query; reconnects back off at most 1 s, so the pool serves again within about a second of the
// server's return. The library is patched at install (src/platform/db/patches): its pool queues grew without bound under
// steady load and every query searched them (docs/durability.md#the-pool-queue-patch).
import postgres from 'postgres';

export type Sql = postgres.Sql<Record<string, never>>;

export interface DbOptions {
  url: string;
  max?: number;
  /** Application name shown in pg_stat_activity. */
  appName?: string;
  /**
   * The schemas unqualified names resolve in, first match wins (default: the server's, `public`). The sandbox
   * catalog's pool uses `sandbox, public` (docs/test-mode.md#the-sandbox-catalog).
   */
  searchPath?: string;
}

/** Reconnect delay after a failed connect, in seconds: 50 ms doubling, never more than 1 s (with jitter). */
const reconnectBackoff = (retries: number) => Math.min(0.05 * 2 ** retries, 1) * (0.75 + Math.random() / 4);

export function createSql(opts: DbOptions): Sql {
  const sql = postgres(opts.url, {
    max: opts.max ?? 16,
    idle_timeout: 30,
    // Connections are recycled every 10-15 min (jittered so they do not all reconnect together): a backend
    // that went bad without closing its socket does not live on for the 30-60 min of the library's default.
    max_lifetime: 600 + Math.floor(Math.random() * 300),
    connect_timeout: 3,
    // TCP keepalive probes from 10 s idle: a peer that vanished without a FIN (host down, network cut) is
    // noticed in about half a minute instead of the default 60 s + probes.
    keep_alive: 10,
    // The library's default grows to 20 s after many failed connects (3^n / 100 s): after a restart of the
    // server the pool would idle that long before trying again.
    backoff: reconnectBackoff,
    // bigint (int8) columns hold credits: read them as JS bigint, never as lossy numbers.
    types: { bigint: postgres.BigInt },
    onnotice: () => {},
    // JIT compiles plans that the planner guesses are expensive; for our short OLTP queries it only adds
    // ~100 ms (seen on a 500-barcode lookup right after a bulk load, before autovacuum had analyzed).
    connection: {
      application_name: opts.appName ?? 'kosher-catalog',
      jit: 'off',
      ...(opts.searchPath ? { search_path: opts.searchPath } : {}),
    },
    prepare: true,
  }) as unknown as Sql;
  fetchTypesOnce(sql);
  return sql;
}

/**
 * postgres.js asks every new connection for the array types (one extra round trip) from an async function no
 * one awaits. A backend ended during that query (pg_terminate_backend, a restart) then rejects it unhandled,
 * which ends the process, and leaves the connection holding its first query forever. The answer is the same
 * for every connection of a pool, so once one connection has it, the others skip the question.
 */
function fetchTypesOnce(sql: Sql): void {
  const options = (sql as unknown as { options: { shared: { typeArrayMap: object } } }).options;
  // Read by each connection as it connects: true until the first connection has filled the shared map.
  Object.defineProperty(options, 'fetch_types', {
    get: () => Object.keys(options.shared.typeArrayMap).length === 0,
    configurable: true,
  });
}
