import { MemoryState } from './memory-state.ts';
import { RedisState, type RedisStateOptions } from './redis-state.ts';
import type { SharedState } from './shared-state.ts';

export { pgGenerationLedger } from './generation-ledger.ts';
export type { SharedState } from './shared-state.ts';

/** Redis when a URL is given, else the in-process stand-in. */
export function createSharedState(
  redisUrl: string | undefined,
  prefix?: string,
  opts?: RedisStateOptions,
): SharedState {
  return redisUrl ? new RedisState(redisUrl, prefix, opts) : new MemoryState();
}
