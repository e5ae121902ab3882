// The limits module (docs/limits.md): per-client and per-IP rate-limit buckets over the shared state. It is the
// rate-limit half of the HTTP gate; other modules read the budget a request was counted against.

import { AppError } from '../../kernel/errors.ts';
import type { Principal } from '../../kernel/principal.ts';
import type { RequestContext } from '../../kernel/request-context.ts';
import type { Gate } from '../../platform/http/gate.ts';
import type { Metrics } from '../../platform/metrics/metrics.ts';
import type { Module } from '../../platform/module.ts';
import type { SharedState } from '../../platform/shared-state/shared-state.ts';
import type { LimitsConfig } from './limits.config.ts';
import { RateLimitGate } from './rate-limit.gate.ts';
import type { BucketState } from './rate-limit.headers.ts';
import { RateLimiter } from './rate-limiter.ts';

export { type LimitsConfig, limitsConfig } from './limits.config.ts';
export type { BucketState } from './rate-limit.headers.ts';
export { limitsFor, TIER_LIMITS } from './rate-limit.policy.ts';

export interface LimitsModule extends Module {
  rateLimit: Gate['rateLimit'];
  settle: Gate['settle'];
  /** The buckets a request was counted against (GET /account, extensions.rateLimit); null when not counted. */
  budget(ctx: RequestContext): BucketState[] | null;
  /** An API client's buckets as they stand, counting nothing (the console's overview). */
  clientBudget(p: Pick<Principal, 'clientId' | 'tier' | 'limits'>): Promise<BucketState[]>;
}

export function createLimitsModule(deps: { config: LimitsConfig; state: SharedState; metrics: Metrics }): LimitsModule {
  const { config } = deps;
  const refusals = deps.metrics.counter({
    name: 'kc_rate_limit_refusals_total',
    help: 'Requests refused with 429, by who was limited (client or ip).',
    labelNames: ['who'],
  });
  const limiter = new RateLimiter(
    deps.state,
    { minuteSec: config.minuteWindowSec, daySec: config.dayWindowSec },
    config.ipPerMinute,
  );
  const gate = new RateLimitGate(limiter);
  const budget = (ctx: RequestContext) => gate.budget(ctx);
  return {
    name: 'limits',
    rateLimit: async (ctx, weight) => {
      try {
        await gate.rateLimit(ctx, weight);
      } catch (e) {
        if (e instanceof AppError && e.code === 'rate_limited') refusals.inc({ who: ctx.principal ? 'client' : 'ip' });
        throw e;
      }
    },
    settle: gate.settle,
    budget,
    clientBudget: (p) => limiter.peekClient(p),
    graphqlServices: { budget },
  };
}
