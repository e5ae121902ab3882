// GET /api/v1/pricing (public, docs/rest.md). Operators change prices through src/admin/admin-pricing.routes.ts.

import { credits } from '../../kernel/credits.ts';
import type { RequestContext } from '../../kernel/request-context.ts';
import { metaBlock } from '../../platform/http/respond.ts';
import type { Route } from '../../platform/http/router.ts';
import { ACTIONS, type Pricing, type PricingService, TIERS } from './pricing.service.ts';

export function renderPricing(p: Pricing, ctx: RequestContext) {
  return {
    currency: 'credits',
    actions: Object.fromEntries(ACTIONS.map((a) => [a, credits(p.rates[a])])),
    tiers: TIERS,
    updated_at: p.updatedAt.toISOString(),
    meta: metaBlock(ctx),
  };
}

export function pricingRoutes(pricing: PricingService): Route[] {
  return [
    {
      method: 'GET',
      path: '/api/v1/pricing',
      access: 'public',
      async handler({ ctx }) {
        return {
          status: 200,
          json: renderPricing(await pricing.current(), ctx),
          headers: { 'Cache-Control': 'public, max-age=5' },
        };
      },
    },
  ];
}
