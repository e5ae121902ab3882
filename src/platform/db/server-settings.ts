// PostgreSQL server settings the API depends on but cannot set itself (docs/operations.md#database-settings).
// Checked once per start, after migrating; each problem is one warning line, the start goes on.
import type { Sql } from './client.ts';

interface SettingRow {
  name: string;
  setting: string;
}

/**
 * Per-request tables (idempotency keys, the ledger, image grants) start empty and grow. Their statistics must
 * follow: a plan cached while a table looked empty is a sequential scan, and a prepared statement or plpgsql
 * function (debit_batch) keeps it until the table is analyzed again. Without autovacuum (or the statistics it
 * reads) nothing analyzes them, and every request slows down as they grow.
 * @internal Exported for its tests.
 */
export function settingsWarnings(rows: SettingRow[]): string[] {
  const v = new Map(rows.map((r) => [r.name, r.setting]));
  const out: string[] = [];
  if (v.get('autovacuum') === 'off' || v.get('track_counts') === 'off')
    out.push(
      'PostgreSQL autovacuum (or track_counts) is off: the per-request tables are never re-analyzed as they grow, ' +
        'so cached plans can stay sequential scans and requests slow down; turn it on, or ANALYZE them regularly',
    );
  return out;
}

export async function checkServerSettings(sql: Sql): Promise<string[]> {
  const rows = await sql<SettingRow[]>`/* serverSettings */
    select name, setting from pg_settings where name in ('autovacuum', 'track_counts')`;
  return settingsWarnings(rows);
}
