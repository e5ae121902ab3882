// The doors' half of a paid read: run the plan, then copy its charge onto the request's response state
// (X-Credits-Debited / X-Credits-Remaining, meta.credits_*, extensions.billing; docs/rest.md#response-headers).
// The service only returns the charge; REST routes and the GraphQL plugin both report it through here.

import type { Principal } from '../../kernel/principal.ts';
import type { RequestContext } from '../../kernel/request-context.ts';
import {
  type ExecuteOptions,
  InsufficientCredits,
  type PlanResult,
  type ReadPlanService,
} from './read-plan.service.ts';
import type { ReadPlan } from './read-plan.ts';

export async function executeAndReport(
  reads: ReadPlanService,
  principal: Principal,
  ctx: RequestContext,
  plan: ReadPlan,
  opts: ExecuteOptions,
): Promise<PlanResult> {
  try {
    const result = await reads.execute(principal, ctx, plan, opts);
    ctx.creditsDebited = result.debited;
    ctx.creditsRemaining = result.remaining;
    return result;
  } catch (e) {
    if (e instanceof InsufficientCredits) {
      ctx.creditsDebited = 0n;
      ctx.creditsRemaining = e.balance;
    }
    throw e;
  }
}
