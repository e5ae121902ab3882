// What every resolver sees: the HTTP request context (request id, principal, credits for the headers) and
// the operation's executed read plan. Built per HTTP request by graphql.handler.ts.
import type { IncomingMessage } from 'node:http';
import type { RequestContext } from '../http/request-context.ts';
import type { PlanResult } from '../catalog/read-plan.service.ts';
import type { ReadPlan } from '../catalog/read-plan.ts';
import type { PricingService } from '../billing/pricing.service.ts';

export interface OperationState {
  plan: ReadPlan | null;
  /** Set by the billing plugin before any field resolves; null when the operation reads nothing paid. */
  result: PlanResult | null;
  /** True when the principal was authenticated and counted against the rate limits. */
  counted: boolean;
}

export interface GraphQLContext {
  ctx: RequestContext;
  req: IncomingMessage;
  op: OperationState;
  pricing: PricingService;
}
