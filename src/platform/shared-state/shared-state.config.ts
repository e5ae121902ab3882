// Shared short-lived state (docs/operations.md#shared-state): one Redis, a Redis Cluster, or the in-process stand-in.
import { z } from 'zod';
import { parseRedisUrl } from '../../kernel/redis-url.ts';
import { configSection } from '../config/section.ts';

export const sharedStateConfig = configSection(
  {
    /**
     * Unset: in-process stand-ins (one process only). `redis://host:port` for one Redis,
     * `redis+cluster://host:port,host:port` for a Redis Cluster.
     */
    REDIS_URL: z
      .string()
      .superRefine((s, ctx) => {
        try {
          parseRedisUrl(s);
        } catch (e) {
          ctx.addIssue({ code: 'custom', message: (e as Error).message });
        }
      })
      .optional(),
  },
  (e) => ({ redisUrl: e.REDIS_URL }),
);
