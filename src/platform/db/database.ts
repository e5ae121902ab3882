// Opens the configured database: DATABASE_URL, or an embedded PostgreSQL under DATA_DIR.
import type { Config } from '../../main/config.ts';
import { createSql, type Sql } from './client.ts';
import { startEmbeddedPostgres } from './embedded.ts';

export interface Database {
  sql: Sql;
  url: string;
  embedded: boolean;
  close(): Promise<void>;
}

export async function openDatabase(
  config: Pick<Config, 'DATABASE_URL' | 'DATA_DIR' | 'DATABASE_POOL_SIZE'>,
  log?: (m: string) => void,
): Promise<Database> {
  const emb = config.DATABASE_URL ? null : await startEmbeddedPostgres(config.DATA_DIR, log);
  const url = config.DATABASE_URL ?? emb!.url;
  const sql = createSql({ url, max: config.DATABASE_POOL_SIZE });
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
