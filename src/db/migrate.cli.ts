// `npm run migrate`: applies pending migrations to DATABASE_URL (or the embedded database under DATA_DIR).
import { loadConfig, ConfigError } from '../config.ts';
import { openDatabase } from './database.ts';
import { migrate } from './migrate.ts';

try {
  const config = loadConfig();
  const db = await openDatabase(config);
  const applied = await migrate(db.sql);
  process.stdout.write(applied.length ? `applied: ${applied.join(', ')}\n` : 'schema is up to date\n');
  await db.close();
} catch (e) {
  process.stderr.write(e instanceof ConfigError ? `${e.message}\n` : `migrate failed: ${(e as Error).message}\n`);
  process.exitCode = 1;
}
