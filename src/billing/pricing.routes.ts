// GET /api/v1/pricing (public) and PUT /admin/v1/pricing (operators): CONTRACT §4 and §8.
import type { Route } from '../http/router.ts';
import type { RequestContext } from '../http/request-context.ts';
import { asObject, readJson } from '../http/body.ts';
import { metaBlock } from '../http/respond.ts';
import { unitsToNumber } from './credits.ts';
import { ACTIONS, TIERS, type Pricing, type PricingService } from './pricing.service.ts';

export function renderPricing(p: Pricing, ctx: RequestContext) {
  return {
    currency: 'credits',
    actions: Object.fromEntries(ACTIONS.map((a) => [a, unitsToNumber(p.rates[a])])),
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
    {
      method: 'PUT',
      path: '/admin/v1/pricing',
      access: 'admin',
      async handler({ raw, ctx }) {
        const body = asObject(await readJson(raw));
        const updated = await pricing.update(body.actions);
        ctx.log.info({ actions: body.actions }, 'pricing updated');
        return { status: 200, json: renderPricing(updated, ctx) };
      },
    },
  ];
}
