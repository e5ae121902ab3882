// The free `pricing` field: same data as GET /api/v1/pricing, no token needed.
import type { Builder } from '../../platform/graphql/builder.ts';
import { free } from '../../platform/graphql/field-access.ts';
import { bothDoors } from '../../platform/graphql/field-doors.ts';
import type { PricingService } from './pricing.service.ts';
import { ACTIONS, type Pricing, TIERS, type TierInfo } from './pricing.service.ts';

declare module '../../platform/graphql/context.ts' {
  interface GraphQLServices {
    pricing: PricingService;
  }
}

/** The enum ref of tiers, for other modules' fields that name a tier. */
export type TierRef = ReturnType<typeof pricingGraphql>['TierEnum'];

export function pricingGraphql(builder: Builder) {
  /** The client tiers as an enum (docs/graphql.md#enums): codegen gives clients a union to switch on. */
  const TierEnum = builder.enumType('Tier', {
    description: 'A client tier: its default rate limits and whether its images are watermarked (see `pricing.tiers`).',
    values: {
      FREE: { value: 'free' },
      STANDARD: { value: 'standard' },
      ENTERPRISE: { value: 'enterprise' },
    } as const,
  });

  const PriceType = builder.objectRef<{ action: string; rate: bigint }>('Price').implement({
    fields: (t) => ({
      action: t.exposeString('action', { description: 'e.g. products.get' }),
      credits: t.field({ type: 'Credits', description: 'Credits per unit of the action.', resolve: (p) => p.rate }),
    }),
  });

  const TierType = builder.objectRef<TierInfo>('RateTier').implement({
    description: 'Rate-limit tiers (requests per client per minute and per UTC day).',
    fields: (t) => ({
      tier: t.field({ type: TierEnum, resolve: (x) => x.tier }),
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
      // The operator console reads it too, on its own door (docs/console.md#operators).
      extensions: { ...free({ token: false }), ...bothDoors },
      resolve: (_, __, c) => c.services.pricing.current(),
    }),
  );
  return { TierEnum };
}
