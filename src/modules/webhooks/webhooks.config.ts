// Webhooks (docs/webhooks.md). The signing secrets of subscriptions are stored encrypted under WEBHOOK_SECRET_KEYS.
import { z } from 'zod';
import {
  configSection,
  csv,
  flag,
  int,
  keyRing,
  requiredSecret,
  type SectionValue,
} from '../../platform/config/section.ts';

/** The overlap of a signing-secret rotation: 24 hours, during which deliveries carry both signatures. */
const WEBHOOK_SECRET_OVERLAP_SEC = 86_400;

export const webhooksConfig = configSection(
  {
    WEBHOOK_SECRET_KEYS: keyRing('WEBHOOK_SECRET_KEYS').optional(),
    /**
     * Allow http and loopback/private targets (development, tests). Off unless set explicitly, whatever NODE_ENV
     * says: an unset variable must never open the private network (docs/webhooks.md#target-safety).
     */
    WEBHOOKS_ALLOW_LOCAL: flag.default(false),
    /** Target ports allowed besides 443 (and 80 for http where http is allowed): e.g. `8443,9443`. */
    WEBHOOKS_PORTS: csv.optional(),
    /** Deliveries a subscription may have outstanding before replays and test pings are refused. */
    WEBHOOKS_MAX_OUTSTANDING: int(1, 1_000_000).default(10_000),
    /** Outbound pings a client may cause per minute: test pings and verification requests (docs/webhooks.md#limits). */
    WEBHOOKS_PINGS_PER_MINUTE: int(1, 10_000).default(10),
    /** Replays a client may start per hour. */
    WEBHOOKS_REPLAYS_PER_HOUR: int(1, 10_000).default(10),
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
    /** How long a rotated-out signing secret still signs deliveries beside the new one (docs/webhooks.md#secret-rotation). */
    WEBHOOKS_SECRET_OVERLAP_SEC: int(1, 604_800).default(WEBHOOK_SECRET_OVERLAP_SEC),
    /** Events and finished deliveries older than this are deleted (replay reaches back this far). */
    WEBHOOKS_RETENTION_DAYS: int(1, 3650).default(30),
  },
  (e, common, problems) => ({
    secretKeys: requiredSecret('WEBHOOK_SECRET_KEYS', e.WEBHOOK_SECRET_KEYS, common, problems),
    allowLocal: e.WEBHOOKS_ALLOW_LOCAL,
    extraPorts: parsePorts(e.WEBHOOKS_PORTS ?? [], problems),
    maxOutstanding: e.WEBHOOKS_MAX_OUTSTANDING,
    pingsPerMinute: e.WEBHOOKS_PINGS_PER_MINUTE,
    replaysPerHour: e.WEBHOOKS_REPLAYS_PER_HOUR,
    dispatcher: e.WEBHOOKS_DISPATCHER,
    pollMs: e.WEBHOOKS_POLL_MS,
    timeoutMs: e.WEBHOOKS_TIMEOUT_MS,
    concurrency: e.WEBHOOKS_CONCURRENCY,
    retryBaseMs: e.WEBHOOKS_RETRY_BASE_MS,
    retryMaxMs: e.WEBHOOKS_RETRY_MAX_MS,
    giveUpSec: e.WEBHOOKS_GIVE_UP_SEC,
    retentionDays: e.WEBHOOKS_RETENTION_DAYS,
    secretOverlapSec: e.WEBHOOKS_SECRET_OVERLAP_SEC,
  }),
);
function parsePorts(list: string[], problems: string[]): number[] {
  const ports: number[] = [];
  for (const p of list) {
    if (/^\d{1,5}$/.test(p) && Number(p) >= 1 && Number(p) <= 65_535) ports.push(Number(p));
    else problems.push(`WEBHOOKS_PORTS: "${p}" is not a port (1 to 65535)`);
  }
  return ports;
}

export type WebhooksConfig = SectionValue<typeof webhooksConfig>;
