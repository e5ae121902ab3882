// The free `pricing` field: same data as GET /api/v1/pricing, no token needed.
import { builder } from './builder.ts';
import { ACTIONS, TIERS, type Pricing, type TierInfo } from '../billing/pricing.service.ts';

const PriceType = builder.objectRef<{ action: string; rate: bigint }>('Price').implement({
  fields: (t) => ({
    action: t.exposeString('action', { description: 'e.g. products.get' }),
    credits: t.field({ type: 'Credits', description: 'Credits per unit of the action.', resolve: (p) => p.rate }),
  }),
});

const TierType = builder.objectRef<TierInfo>('RateTier').implement({
  description: 'Rate-limit tiers (requests per client per minute and per UTC day).',
  fields: (t) => ({
    tier: t.exposeString('tier'),
    perMinute: t.field({ type: 'NonNegativeInt', resolve: (x) => x.per_minute }),
    perDay: t.field({ type: 'NonNegativeInt', resolve: (x) => x.per_day }),
    watermarkedImages: t.exposeBoolean('watermarked_images'),
    note: t.exposeString('note'),
  }),
});

const PricingType = builder.objectRef<Pricing>('Pricing').implement({
  description: 'Current rates; admin changes take effect on every node within 5 s.',
  fields: (t) => ({
    currency: t.string({ resolve: () => 'credits' }),
    actions: t.field({
      type: [PriceType],
      resolve: (p) => ACTIONS.map((action) => ({ action, rate: p.rates[action] })),
    }),
    tiers: t.field({ type: [TierType], resolve: () => TIERS }),
    updatedAt: t.field({ type: 'DateTime', resolve: (p) => p.updatedAt }),
  }),
});

builder.queryField('pricing', (t) =>
  t.field({
    type: PricingType,
    description: 'Free, and works without a token.',
    resolve: (_, __, c) => c.pricing.current(),
  }),
);
