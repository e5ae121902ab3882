// The paid-reads module (docs/billing.md): the one idea of the product. Every paid read, REST or GraphQL, becomes
// a read plan; one service loads it in one lookup, prices it against what exists, debits once and only then signs
// the paid data. Both doors live here: the REST routes, and the GraphQL product types with the billing and
// idempotency plugins that plan each operation from its selection.
import type { IncomingHttpHeaders } from 'node:http';
import type { ClientMode } from '../../kernel/principal.ts';
import type { RequestContext } from '../../kernel/request-context.ts';
import type { Sql } from '../../platform/db/client.ts';
import type { Gate } from '../../platform/http/gate.ts';
import type { Module } from '../../platform/module.ts';
import type { DebitSink, PricingService } from '../billing/index.ts';
import type { CatalogCache } from '../catalog/index.ts';
import type { ImageUrlIssuer } from '../images/index.ts';
import type { BucketState } from '../limits/index.ts';
import type { ListingService } from '../listing/index.ts';
import { billingPlugin } from './billing.plugin.ts';
import { idempotencyPlugin } from './idempotency.plugin.ts';
import { IdempotencyRunner } from './idempotency.runner.ts';
import { IdempotencyService } from './idempotency.service.ts';
import { paidOperationState } from './paid-reads.graphql.ts';
import { productRoutes } from './products.routes.ts';
import { ReadPlanService } from './read-plan.service.ts';

export { checkBillingRules } from './billing-rules.ts';
export { paidReadsGraphql } from './paid-reads.graphql.ts';

export interface PaidReadsModule extends Module {
  reads: ReadPlanService;
}

export function createPaidReadsModule(deps: {
  sql: Sql;
  pricing: PricingService;
  sinks: Record<ClientMode, DebitSink>;
  catalogs: Record<ClientMode, Pick<CatalogCache, 'load'>>;
  images: ImageUrlIssuer;
  listing: ListingService;
  gate: Gate;
  /** The origin signed URLs point at (PUBLIC_BASE_URL, else the origin the client called). */
  baseUrl: (req: { headers: IncomingHttpHeaders }) => string;
  balanceOf: (accountId: string) => Promise<bigint | null>;
  budget: (ctx: RequestContext) => BucketState[] | null;
}): PaidReadsModule {
  const reads = new ReadPlanService(deps.sql, deps.pricing, deps.images, deps.sinks, deps.catalogs);
  const idempotency = new IdempotencyRunner(new IdempotencyService(deps.sql));
  return {
    name: 'paid-reads',
    reads,
    routes: productRoutes({ reads, idempotency, baseUrl: deps.baseUrl }),
    graphqlOperation: paidOperationState,
    graphqlPlugins: [
      billingPlugin({
        reads,
        listing: deps.listing,
        gate: deps.gate,
        baseUrl: deps.baseUrl,
        balanceOf: deps.balanceOf,
        budget: deps.budget,
      }),
      idempotencyPlugin({ idempotency, gate: deps.gate }),
    ],
  };
}
