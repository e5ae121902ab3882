// Accounts and API clients (docs/admin.md).
import { z } from 'zod';
import { configSection, type SectionValue } from '../../platform/config/section.ts';

export const accountsConfig = configSection(
  {
    /** How long the previous API key keeps working after a rotation. */
    API_KEY_OVERLAP_SEC: z.coerce.number().int().min(0).default(86400),
  },
  (e) => ({ keyOverlapSec: e.API_KEY_OVERLAP_SEC }),
);
export type AccountsConfig = SectionValue<typeof accountsConfig>;
