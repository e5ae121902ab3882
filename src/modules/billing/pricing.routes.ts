// GET /api/v1/pricing (public, docs/rest.md). Operators change prices through src/admin/admin-pricing.routes.ts.

import { credits, type Units } from '../../kernel/credits.ts';
import type { RequestContext } from '../../kernel/request-context.ts';
import { metaBlock } from '../../platform/http/respond.ts';
import type { Route } from '../../platform/http/router.ts';
import { ACTIONS, type Pricing, type PricingService, TIERS } from './pricing.service.ts';

/** An active credit package an account can top up with (operator-set; the top-ups module owns them). */
export interface CreditPackage {
  packageId: string;
  credits: Units;
  /** A decimal amount in `currency`, e.g. "49.00". */
  price: string;
  currency: string;
}

export function renderPricing(p: Pricing, ctx: RequestContext, packages: CreditPackage[]) {
  return {
    currency: 'credits',
    actions: Object.fromEntries(ACTIONS.map((a) => [a, credits(p.rates[a])])),
    tiers: TIERS,
    packages: packages.map((k) => ({
      id: k.packageId,
      credits: credits(k.credits),
      price: k.price,
      currency: k.currency,
    })),
    updated_at: p.updatedAt.toISOString(),
    meta: metaBlock(ctx),
  };
}

export function pricingRoutes(pricing: PricingService, packages: () => Promise<CreditPackage[]>): Route[] {
  return [
    {
      method: 'GET',
      path: '/api/v1/pricing',
      access: 'public',
      async handler({ ctx }) {
        const [p, k] = await Promise.all([pricing.current(), packages()]);
        return {
          status: 200,
          json: renderPricing(p, ctx, k),
          headers: { 'Cache-Control': 'public, max-age=5' },
        };
      },
    },
  ];
}
