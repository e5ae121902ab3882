// The free account fields: balance, account (with the live rate-limit budget) and usage, over the same
// AccountViewService and rate-limit budget as GET /api/v1/balance, /account and /usage. The billing plugin has
// authenticated and counted the operation before these resolve.

import { AppError } from '../../kernel/errors.ts';
import type { Principal } from '../../kernel/principal.ts';
import type { RequestContext } from '../../kernel/request-context.ts';
import type { Builder } from '../../platform/graphql/builder.ts';
import type { GraphQLContext } from '../../platform/graphql/context.ts';
import { free } from '../../platform/graphql/field-access.ts';
import type { TierRef } from '../billing/index.ts';
import type { BucketState } from '../limits/index.ts';
import { parseUsageQuery, renderBudget } from './account-view.routes.ts';
import type { AccountView, AccountViewService, Balance, Usage, UsageLine } from './account-view.service.ts';

declare module '../../platform/graphql/context.ts' {
  interface GraphQLServices {
    accounts: AccountViewService;
    /** The live rate-limit budget as counted for this request. */
    budget: (ctx: RequestContext) => BucketState[] | null;
  }
}

function principal(c: GraphQLContext): Principal {
  if (!c.ctx.principal) throw new AppError('unauthenticated', 'Send a bearer access token.');
  return c.ctx.principal;
}

type Bucket = ReturnType<typeof renderBudget>['minute'];

interface UsageArgs {
  from?: string | null;
  to?: string | null;
  groupBy?: readonly string[] | null;
}

function usageQuery(args: UsageArgs): URLSearchParams {
  const q = new URLSearchParams();
  if (args.from != null) q.set('from', args.from);
  if (args.to != null) q.set('to', args.to);
  if (args.groupBy != null) q.set('group_by', args.groupBy.join(','));
  return q;
}

export function accountViewGraphql(builder: Builder, { TierEnum }: { TierEnum: TierRef }) {
  const BalanceType = builder.objectRef<Balance>('Balance').implement({
    description: "The account's prepaid balance and its spend in the current UTC day and month (GET /api/v1/balance).",
    fields: (t) => ({
      creditsRemaining: t.field({ type: 'Credits', resolve: (b) => b.creditsRemaining }),
      spentToday: t.field({ type: 'Credits', resolve: (b) => b.spentToday }),
      spentThisMonth: t.field({ type: 'Credits', resolve: (b) => b.spentThisMonth }),
      asOf: t.field({ type: 'DateTime', resolve: (b) => b.asOf }),
    }),
  });

  const BucketType = builder.objectRef<Bucket>('RateLimitBucket').implement({
    description: 'One rate-limit bucket, as counted including this operation.',
    fields: (t) => ({
      limit: t.field({ type: 'NonNegativeInt', resolve: (b) => b.limit }),
      remaining: t.field({ type: 'NonNegativeInt', resolve: (b) => b.remaining }),
      reset: t.field({
        type: 'NonNegativeInt',
        nullable: true,
        description: 'Unix epoch second at which the bucket refills.',
        resolve: (b) => b.reset,
      }),
      windowSeconds: t.field({ type: 'NonNegativeInt', nullable: true, resolve: (b) => b.window_seconds }),
    }),
  });

  const RateLimitsType = builder.objectRef<ReturnType<typeof renderBudget>>('RateLimits').implement({
    fields: (t) => ({
      minute: t.field({ type: BucketType, resolve: (r) => r.minute }),
      day: t.field({ type: BucketType, description: 'UTC day.', resolve: (r) => r.day }),
    }),
  });

  const AccountInfoType = builder.objectRef<AccountView>('AccountInfo').implement({
    description: 'The account that holds the balance.',
    fields: (t) => ({
      accountId: t.string({ resolve: (v) => v.row.account_id }),
      name: t.string({ resolve: (v) => v.row.account_name }),
      creditsRemaining: t.field({ type: 'Credits', resolve: (v) => v.row.balance }),
      createdAt: t.field({ type: 'DateTime', resolve: (v) => v.row.account_created_at }),
    }),
  });

  const ClientScopeType = builder.objectRef<AccountView>('ClientScope').implement({
    description: 'The scope filter: null lists mean unrestricted.',
    fields: (t) => ({
      brands: t.stringList({ nullable: true, resolve: (v) => v.row.scope_brands }),
      ownerships: t.stringList({ nullable: true, resolve: (v) => v.row.scope_ownerships }),
    }),
  });

  const ApiClientType = builder.objectRef<AccountView>('ApiClient').implement({
    description: 'The API client this token belongs to.',
    fields: (t) => ({
      clientId: t.string({ resolve: (v) => v.row.client_id }),
      name: t.string({ resolve: (v) => v.row.client_name }),
      tier: t.field({ type: TierEnum, resolve: (v) => v.row.tier }),
      ipAllowlist: t.stringList({
        description: 'CIDRs; empty when any address may call.',
        resolve: (v) => v.row.ip_allowlist,
      }),
      scope: t.field({ type: ClientScopeType, resolve: (v) => v }),
      expiresAt: t.field({ type: 'DateTime', nullable: true, resolve: (v) => v.row.expires_at }),
      createdAt: t.field({ type: 'DateTime', resolve: (v) => v.row.created_at }),
    }),
  });

  const AccountViewType = builder.objectRef<AccountView>('AccountView').implement({
    description: 'GET /api/v1/account: the account, this client, and the live rate-limit budget of both buckets.',
    fields: (t) => ({
      account: t.field({ type: AccountInfoType, resolve: (v) => v }),
      client: t.field({ type: ApiClientType, resolve: (v) => v }),
      rateLimits: t.field({ type: RateLimitsType, resolve: (v) => renderBudget(v.budget, v.limits) }),
    }),
  });

  const UsageDimensionEnum = builder.enumType('UsageDimension', {
    values: { CLIENT: { value: 'client' }, DAY: { value: 'day' }, ACTION: { value: 'action' } } as const,
  });

  const UsageRowType = builder.objectRef<UsageLine>('UsageRow').implement({
    description: 'One group of the breakdown; the fields of dimensions not grouped by are null.',
    fields: (t) => ({
      clientId: t.string({ nullable: true, resolve: (r) => r.client_id ?? null }),
      clientName: t.string({ nullable: true, resolve: (r) => r.client_name ?? null }),
      day: t.string({ nullable: true, description: 'YYYY-MM-DD (UTC).', resolve: (r) => r.day ?? null }),
      action: t.string({ nullable: true, description: 'e.g. products.get', resolve: (r) => r.action ?? null }),
      units: t.int({
        nullable: true,
        description: 'Billed units of the action (grouped by action only).',
        resolve: (r) => (r.units === undefined ? null : Number(r.units)),
      }),
      requests: t.int({ resolve: (r) => Number(r.requests) }),
      credits: t.field({ type: 'Credits', resolve: (r) => r.amount }),
    }),
  });

  const UsageTotalsType = builder.objectRef<Usage>('UsageTotals').implement({
    fields: (t) => ({
      requests: t.int({ resolve: (u) => Number(u.totalRequests) }),
      credits: t.field({ type: 'Credits', resolve: (u) => u.totalAmount }),
    }),
  });

  const UsageType = builder.objectRef<Usage>('Usage').implement({
    description: "GET /api/v1/usage: the account's charges per client/day/action for invoicing.",
    fields: (t) => ({
      from: t.string({ resolve: (u) => u.from }),
      to: t.string({ resolve: (u) => u.to }),
      groupBy: t.field({ type: [UsageDimensionEnum], resolve: (u) => u.groupBy }),
      currency: t.string({ resolve: () => 'credits' }),
      rows: t.field({ type: [UsageRowType], resolve: (u) => u.rows }),
      totals: t.field({ type: UsageTotalsType, resolve: (u) => u }),
    }),
  });

  builder.queryFields((t) => ({
    balance: t.field({
      type: BalanceType,
      description: 'Free (needs a token). Same numbers as GET /api/v1/balance.',
      extensions: free({ token: true }),
      resolve: (_, __, c) => c.services.accounts.balance(principal(c)),
    }),
    account: t.field({
      type: AccountViewType,
      description: 'Free (needs a token). Same as GET /api/v1/account; `rateLimits` counts this operation.',
      extensions: free({ token: true }),
      resolve: (_, __, c) => c.services.accounts.account(principal(c), c.services.budget(c.ctx)),
    }),
    usage: t.field({
      type: UsageType,
      description:
        'Free (needs a token). Same as GET /api/v1/usage: inclusive UTC days YYYY-MM-DD (default: this month so far, at most 366 days), grouped by CLIENT (default), DAY and/or ACTION. BAD_REQUEST for bad dates or repeated dimensions.',
      extensions: free({ token: true, check: (args) => parseUsageQuery(usageQuery(args as UsageArgs)) }),
      args: {
        from: t.arg.string({ required: false }),
        to: t.arg.string({ required: false }),
        groupBy: t.arg({ type: [UsageDimensionEnum], required: false }),
      },
      resolve: (_, args, c) => c.services.accounts.usage(principal(c), parseUsageQuery(usageQuery(args))),
    }),
  }));
}
