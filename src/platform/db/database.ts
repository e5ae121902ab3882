// Opens the configured database: DATABASE_URL, or an embedded PostgreSQL under DATA_DIR.

import { createSql, type Sql } from './client.ts';
import type { DatabaseConfig } from './database.config.ts';
import { startEmbeddedPostgres } from './embedded.ts';

export interface Database {
  sql: Sql;
  url: string;
  embedded: boolean;
  close(): Promise<void>;
}

export async function openDatabase(config: DatabaseConfig, log?: (m: string) => void): Promise<Database> {
  const emb = config.url ? null : await startEmbeddedPostgres(config.dataDir, log);
  const url = config.url ?? emb!.url;
  const sql = createSql({ url, max: config.poolSize });
  return {
    sql,
    url,
    embedded: !!emb,
    async close() {
      await sql.end({ timeout: 5 });
      if (emb) await emb.stop();
    },
  };
}
