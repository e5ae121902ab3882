// Top-ups in GraphQL (docs/console.md#top-ups): the credit packages (public, like /pricing), and for a console
// session the account's top-up requests. An operator confirms one (src/modules/operators/); it is credited once.
import type { Builder } from '../../platform/graphql/builder.ts';
import { free } from '../../platform/graphql/field-access.ts';
import { consoleRequest } from '../people/index.ts';
import type { TopUpsService } from './topups.service.ts';
import type { PackageView, TopUpView } from './topups.views.ts';

declare module '../../platform/graphql/context.ts' {
  interface GraphQLServices {
    topups: TopUpsService;
  }
}

export type TopUpRefs = ReturnType<typeof topupsGraphql>;

export function topupsGraphql(builder: Builder) {
  const PackageType = builder.objectRef<PackageView>('CreditPackage').implement({
    description: 'Credits an account can buy (operator-set).',
    fields: (t) => ({
      packageId: t.exposeID('packageId'),
      credits: t.field({ type: 'Credits', resolve: (p) => p.credits }),
      price: t.exposeString('price', { description: 'A decimal amount in `currency`, e.g. "49.00".' }),
      currency: t.exposeString('currency', { description: 'ISO 4217, e.g. USD.' }),
      active: t.exposeBoolean('active', { description: 'Inactive packages cannot be requested.' }),
    }),
  });

  const StatusEnum = builder.enumType('TopUpStatus', {
    values: {
      PENDING: { value: 'pending', description: 'Waiting for an operator to confirm payment.' },
      CONFIRMED: { value: 'confirmed', description: 'Credited (once), with a ledger row naming the top-up.' },
      REJECTED: { value: 'rejected' },
      CANCELLED: { value: 'cancelled' },
    } as const,
  });

  const TopUpType = builder.objectRef<TopUpView>('TopUp').implement({
    fields: (t) => ({
      topUpId: t.exposeID('topUpId'),
      accountId: t.exposeString('accountId'),
      accountName: t.exposeString('accountName'),
      packageId: t.exposeString('packageId'),
      credits: t.field({ type: 'Credits', resolve: (u) => u.credits }),
      price: t.exposeString('price'),
      currency: t.exposeString('currency'),
      status: t.field({ type: StatusEnum, resolve: (u) => u.status }),
      requestedBy: t.string({ nullable: true, resolve: (u) => u.requestedBy }),
      requestedAt: t.field({ type: 'DateTime', resolve: (u) => u.requestedAt }),
      decidedBy: t.string({ nullable: true, resolve: (u) => u.decidedBy }),
      decidedAt: t.field({ type: 'DateTime', nullable: true, resolve: (u) => u.decidedAt }),
      note: t.string({ nullable: true, resolve: (u) => u.note }),
    }),
  });

  builder.queryFields((t) => ({
    creditPackages: t.field({
      extensions: free({ token: false }),
      type: [PackageType],
      description: 'The active credit packages (also in GET /api/v1/pricing as `packages`).',
      resolve: (_r, _a, c) => c.services.topups.packages(false),
    }),
    consoleTopUps: t.field({
      extensions: free({ token: false }),
      type: [TopUpType],
      description: 'The account’s top-up requests, newest first.',
      resolve: async (_r, _a, c) =>
        c.services.topups.listForAccount(await c.services.people.member(consoleRequest(c), 'read')),
    }),
  }));

  builder.mutationFields((t) => ({
    consoleRequestTopUp: t.field({
      extensions: free({ token: false }),
      type: TopUpType,
      description: 'Asks for a package (owner, billing). Pending until an operator confirms payment.',
      args: { packageId: t.arg.id({ required: true }) },
      resolve: async (_r, a, c) => {
        const r = consoleRequest(c);
        return c.services.topups.request(r, await c.services.people.member(r, 'billing'), String(a.packageId));
      },
    }),
    consoleCancelTopUp: t.field({
      extensions: free({ token: false }),
      type: TopUpType,
      description: 'Withdraws a pending request (owner, billing).',
      args: { topUpId: t.arg.id({ required: true }) },
      resolve: async (_r, a, c) => {
        const r = consoleRequest(c);
        return c.services.topups.cancel(r, await c.services.people.member(r, 'billing'), String(a.topUpId));
      },
    }),
  }));

  return { PackageType, TopUpType, TopUpStatusEnum: StatusEnum };
}
