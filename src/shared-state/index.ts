import { MemoryState } from './memory-state.ts';
import { RedisState } from './redis-state.ts';
import type { SharedState } from './shared-state.ts';

export type { SharedState } from './shared-state.ts';

/** Redis when a URL is given, else the in-process stand-in. */
export function createSharedState(redisUrl: string | undefined, prefix?: string): SharedState {
  return redisUrl ? new RedisState(redisUrl, prefix) : new MemoryState();
}
