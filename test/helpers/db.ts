// A fresh, migrated database per test file, created on the server that DATABASE_URL points at.
import { randomBytes } from 'node:crypto';
import { createSql, type Sql } from '../../src/platform/db/client.ts';
import { migrate } from '../../src/platform/db/migrate.ts';

export interface TestDatabase {
  url: string;
  sql: Sql;
  drop(): Promise<void>;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const base = process.env.DATABASE_URL;
  if (!base) throw new Error('DATABASE_URL is not set (global setup should have set it)');
  const name = `kc_test_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const admin = createSql({ url: base, max: 1 });
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  const u = new URL(base);
  u.pathname = `/${name}`;
  const url = u.toString();
  const sql = createSql({ url, max: 8 });
  await migrate(sql);
  return {
    url,
    sql,
    async drop() {
      await sql.end({ timeout: 2 });
      const a = createSql({ url: base, max: 1 });
      await a.unsafe(`drop database if exists ${name} with (force)`);
      await a.end();
    },
  };
}
