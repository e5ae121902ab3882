// What every resolver sees: the HTTP request context (request id, principal, credits for the headers) and
// the operation's executed read plan. Built per HTTP request by graphql.handler.ts.
import type { IncomingMessage } from 'node:http';
import type { RequestContext } from '../../kernel/request-context.ts';
import type { PlanResult } from '../../modules/paid-reads/read-plan.service.ts';
import type { ReadPlan } from '../../modules/paid-reads/read-plan.ts';
import type { PricingService } from '../../modules/billing/pricing.service.ts';
import type { ListingPage, ListingService } from '../../modules/listing/listing.service.ts';
import type { AccountViewService } from '../../modules/account-view/account-view.service.ts';
import type { BucketState } from '../../modules/limits/rate-limit.headers.ts';
import type { WebhookService } from '../../modules/webhooks/webhooks.service.ts';

export interface OperationState {
  plan: ReadPlan | null;
  /** Set by the billing plugin before any field resolves; null when the operation reads nothing paid. */
  result: PlanResult | null;
  /** True when the request was counted against the rate limits (its client's buckets, or its IP's). */
  counted: boolean;
  /** Why the sent token was refused; answered only if the operation needs a token. */
  authError: unknown;
  /** The rate-limit refusal (429) of this request, answered before the document is parsed. */
  refusal: unknown;
  /** catalogKey -> the listing page loaded while planning (the connection resolver reuses it). */
  catalog: Map<string, ListingPage>;
}

/** The free services behind catalog/balance/account/usage (the same ones the REST routes use). */
export interface AccountFieldServices {
  listing: ListingService;
  accounts: AccountViewService;
  /** The live rate-limit budget as counted for this request. */
  budget: (ctx: RequestContext) => BucketState[] | null;
  /** Webhook subscriptions (docs/webhooks.md); absent where the feature is not built. */
  webhooks?: WebhookService;
}

export interface GraphQLContext {
  ctx: RequestContext;
  req: IncomingMessage;
  op: OperationState;
  pricing: PricingService;
  services: AccountFieldServices;
  /**
   * A POST JSON body, already read (and limited) by our handler: yoga gets a request without a body and parses
   * these bytes instead of streaming them a second time (buffered-body.ts).
   */
  jsonBody?: Buffer;
}
