// The database (docs/operations.md#the-embedded-database): DATABASE_URL, or an embedded PostgreSQL under DATA_DIR.
import { z } from 'zod';
import { configSection, int, type SectionValue } from '../config/section.ts';

export const databaseConfig = configSection(
  {
    /** Unset: an embedded PostgreSQL is started with its data under DATA_DIR. */
    DATABASE_URL: z.string().url().optional(),
    DATABASE_POOL_SIZE: int(1, 200).default(16),
  },
  (e, common) => ({ url: e.DATABASE_URL, poolSize: e.DATABASE_POOL_SIZE, dataDir: common.dataDir }),
);
export type DatabaseConfig = SectionValue<typeof databaseConfig>;
