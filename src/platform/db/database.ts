// Opens the configured database: DATABASE_URL, or an embedded PostgreSQL under DATA_DIR.

import { createSql, type Sql } from './client.ts';
import type { DatabaseConfig } from './database.config.ts';
import { startEmbeddedPostgres } from './embedded.ts';

export interface Database {
  sql: Sql;
  url: string;
  embedded: boolean;
  /** Another pool on the same database (e.g. with another search_path), closed with it. */
  pool(opts: { max: number; searchPath?: string; appName?: string }): Sql;
  close(): Promise<void>;
}

export async function openDatabase(config: DatabaseConfig, log?: (m: string) => void): Promise<Database> {
  const emb = config.url ? null : await startEmbeddedPostgres(config.dataDir, log);
  const url = config.url ?? emb!.url;
  const sql = createSql({ url, max: config.poolSize });
  const others: Sql[] = [];
  return {
    sql,
    url,
    embedded: !!emb,
    pool(opts) {
      const p = createSql({ url, ...opts });
      others.push(p);
      return p;
    },
    async close() {
      await Promise.all([sql, ...others].map((p) => p.end({ timeout: 5 })));
      if (emb) await emb.stop();
    },
  };
}
