// Applies the SQL files of ./migrations in name order, once each, under an advisory lock so that
// several processes starting together do not race. A landed migration is never edited.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Sql } from './client.ts';

const MIGRATIONS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');
const LOCK_ID = 726_1126_0001; // arbitrary, constant across versions

export async function migrate(sql: Sql): Promise<string[]> {
  const files = (await readdir(MIGRATIONS_DIR)).filter((f) => f.endsWith('.sql')).sort();
  const applied: string[] = [];
  await sql.begin(async (tx) => {
    // transaction: migrate
    await tx`/* migrateLock */ select pg_advisory_xact_lock(${LOCK_ID})`;
    await tx`/* migrateTable */ create table if not exists schema_migrations (
      name text primary key, applied_at timestamptz not null default now())`;
    const done = new Set(
      (await tx<{ name: string }[]>`/* migrationsApplied */ select name from schema_migrations`).map((r) => r.name),
    );
    for (const f of files) {
      if (done.has(f)) continue;
      await tx.unsafe(await readFile(path.join(MIGRATIONS_DIR, f), 'utf8'));
      await tx`/* migrationRecord */ insert into schema_migrations (name) values (${f})`;
      applied.push(f);
    }
  });
  return applied;
}
