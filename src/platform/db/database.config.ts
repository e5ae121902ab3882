// The database (docs/operations.md#the-embedded-database): DATABASE_URL, or an embedded PostgreSQL under DATA_DIR.
import { z } from 'zod';
import { configSection, flag, int, type SectionValue } from '../config/section.ts';

export const databaseConfig = configSection(
  {
    /** Unset: an embedded PostgreSQL is started with its data under DATA_DIR (production: only with EMBEDDED_POSTGRES=1). */
    DATABASE_URL: z.string().url().optional(),
    DATABASE_POOL_SIZE: int(1, 200).default(16),
    /** Production without DATABASE_URL runs the embedded PostgreSQL only when this says so (docs/operations.md#safe-production-defaults). */
    EMBEDDED_POSTGRES: flag.optional(),
  },
  (e, common, problems) => {
    // A forgotten DATABASE_URL in production would quietly keep the money in a development database under DATA_DIR.
    if (common.production && !e.DATABASE_URL && e.EMBEDDED_POSTGRES !== true)
      problems.push(
        'DATABASE_URL: required in production; set EMBEDDED_POSTGRES=1 to run the embedded PostgreSQL in production on purpose',
      );
    return { url: e.DATABASE_URL, poolSize: e.DATABASE_POOL_SIZE, dataDir: common.dataDir };
  },
);
export type DatabaseConfig = SectionValue<typeof databaseConfig>;
