// PUT /admin/v1/pricing: operators set the per-action rates (docs/admin.md). The answer has the public
// pricing shape, so the operator sees exactly what clients will see.

import { asObject, readJson } from '../../platform/http/body.ts';
import type { Route } from '../../platform/http/router.ts';
import { type CreditPackage, renderPricing } from './pricing.routes.ts';
import type { PricingService } from './pricing.service.ts';

export function adminPricingRoutes(pricing: PricingService, packages: () => Promise<CreditPackage[]>): Route[] {
  return [
    {
      method: 'PUT',
      path: '/admin/v1/pricing',
      access: 'admin',
      async handler({ raw, ctx }) {
        const body = asObject(await readJson(raw));
        const updated = await pricing.update(body.actions);
        ctx.log.info({ actions: body.actions }, 'pricing updated');
        return { status: 200, json: renderPricing(updated, ctx, await packages()) };
      },
    },
  ];
}
