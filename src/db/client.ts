// The PostgreSQL client. Every repository receives a `Sql` from here; nothing else opens connections.
import postgres from 'postgres';

export type Sql = postgres.Sql<Record<string, never>>;

export interface DbOptions {
  url: string;
  max?: number;
  /** Application name shown in pg_stat_activity. */
  appName?: string;
}

export function createSql(opts: DbOptions): Sql {
  return postgres(opts.url, {
    max: opts.max ?? 16,
    idle_timeout: 30,
    connect_timeout: 10,
    // bigint (int8) columns hold credits: read them as JS bigint, never as lossy numbers.
    types: { bigint: postgres.BigInt },
    onnotice: () => {},
    // JIT compiles plans that the planner guesses are expensive; for our short OLTP queries it only adds
    // ~100 ms (seen on a 500-barcode lookup right after a bulk load, before autovacuum had analyzed).
    connection: { application_name: opts.appName ?? 'kosher-catalog', jit: 'off' },
    prepare: true,
  }) as unknown as Sql;
}
