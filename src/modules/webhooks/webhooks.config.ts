// Webhooks (docs/webhooks.md). The signing secrets of subscriptions are stored encrypted under WEBHOOK_SECRET_KEYS.
import { z } from 'zod';
import { configSection, flag, int, keyRing, requiredSecret, type SectionValue } from '../../platform/config/section.ts';

export const webhooksConfig = configSection(
  {
    WEBHOOK_SECRET_KEYS: keyRing('WEBHOOK_SECRET_KEYS').optional(),
    /** Allow http and loopback/private targets (development, tests). Default: on outside production only. */
    WEBHOOKS_ALLOW_LOCAL: flag.optional(),
    /** Run the delivery dispatcher in this process (every API node does by default). */
    WEBHOOKS_DISPATCHER: flag.default(true),
    /** How often an idle dispatcher looks for due deliveries (LISTEN/NOTIFY wakes it sooner). */
    WEBHOOKS_POLL_MS: int(10, 60_000).default(1000),
    WEBHOOKS_TIMEOUT_MS: int(100, 60_000).default(10_000),
    /** Deliveries in flight per node. */
    WEBHOOKS_CONCURRENCY: int(1, 1000).default(64),
    /** First retry delay; doubled per attempt (with jitter) up to WEBHOOKS_RETRY_MAX_MS. */
    WEBHOOKS_RETRY_BASE_MS: z.coerce.number().int().min(10).default(5000),
    WEBHOOKS_RETRY_MAX_MS: z.coerce.number().int().min(10).default(3_600_000),
    /** A delivery failing this long is given up; a subscription failing this long is disabled (3 days). */
    WEBHOOKS_GIVE_UP_SEC: z.coerce.number().int().min(1).default(259_200),
    /** Events and finished deliveries older than this are deleted (replay reaches back this far). */
    WEBHOOKS_RETENTION_DAYS: int(1, 3650).default(30),
  },
  (e, common, problems) => ({
    secretKeys: requiredSecret('WEBHOOK_SECRET_KEYS', e.WEBHOOK_SECRET_KEYS, common, problems),
    allowLocal: e.WEBHOOKS_ALLOW_LOCAL ?? !common.production,
    dispatcher: e.WEBHOOKS_DISPATCHER,
    pollMs: e.WEBHOOKS_POLL_MS,
    timeoutMs: e.WEBHOOKS_TIMEOUT_MS,
    concurrency: e.WEBHOOKS_CONCURRENCY,
    retryBaseMs: e.WEBHOOKS_RETRY_BASE_MS,
    retryMaxMs: e.WEBHOOKS_RETRY_MAX_MS,
    giveUpSec: e.WEBHOOKS_GIVE_UP_SEC,
    retentionDays: e.WEBHOOKS_RETENTION_DAYS,
  }),
);
export type WebhooksConfig = SectionValue<typeof webhooksConfig>;
