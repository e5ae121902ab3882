// Rate limits (docs/limits.md#rate-limit-buckets).
import { z } from 'zod';
import { configSection, int, type SectionValue } from '../../platform/config/section.ts';

export const limitsConfig = configSection(
  {
    /** Window lengths (a minute and a UTC day). Shorter only in tests of the reset. */
    RATE_LIMIT_MINUTE_WINDOW_SEC: int(1, 3600).default(60),
    RATE_LIMIT_DAY_WINDOW_SEC: int(1, 86400).default(86400),
    /** Per-IP minute budget of unauthenticated /api/v1 requests (public routes, failed authentication). */
    RATE_LIMIT_IP_PER_MINUTE: z.coerce.number().int().min(1).default(300),
  },
  (e) => ({
    minuteWindowSec: e.RATE_LIMIT_MINUTE_WINDOW_SEC,
    dayWindowSec: e.RATE_LIMIT_DAY_WINDOW_SEC,
    ipPerMinute: e.RATE_LIMIT_IP_PER_MINUTE,
  }),
);
export type LimitsConfig = SectionValue<typeof limitsConfig>;
