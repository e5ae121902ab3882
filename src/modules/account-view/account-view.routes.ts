// GET /api/v1/balance, /account and /usage (docs/rest.md#balance): free, authenticated, rate-limited.

import { credits } from '../../kernel/credits.ts';
import { AppError } from '../../kernel/errors.ts';
import { isCalendarDate, MAX_YEAR, MIN_YEAR } from '../../kernel/input.ts';
import type { RequestContext } from '../../kernel/request-context.ts';
import { metaBlock } from '../../platform/http/respond.ts';
import type { Route } from '../../platform/http/router.ts';
import type { BucketState } from '../limits/index.ts';
import {
  type AccountViewService,
  USAGE_DIMENSIONS,
  type UsageDimension,
  type UsageRequest,
} from './account-view.service.ts';

const MAX_USAGE_DAYS = 366;

function isoDay(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/** A real UTC day within the years PostgreSQL and an invoice can mean (docs/input-validation.md#usage). */
function parseDay(param: string, v: string): string {
  if (!isCalendarDate(v)) {
    const range = `${MIN_YEAR} to ${MAX_YEAR}`;
    throw new AppError('bad_request', `Invalid \`${param}\`: expected a real date YYYY-MM-DD (UTC), ${range}.`);
  }
  return v;
}

/** from/to are inclusive UTC days; defaults: the current month so far. */
export function parseUsageQuery(q: URLSearchParams, now = new Date()): UsageRequest {
  for (const k of q.keys()) {
    if (!['from', 'to', 'group_by'].includes(k)) throw new AppError('bad_request', `Unknown query parameter \`${k}\`.`);
  }
  const today = isoDay(now);
  const from = q.get('from') === null ? `${today.slice(0, 8)}01` : parseDay('from', q.get('from')!);
  const to = q.get('to') === null ? today : parseDay('to', q.get('to')!);
  const span = (Date.parse(to) - Date.parse(from)) / 86_400_000;
  if (span < 0) throw new AppError('bad_request', 'Invalid `to`: must not be before `from`.');
  if (span >= MAX_USAGE_DAYS)
    throw new AppError('bad_request', `Invalid \`to\`: at most ${MAX_USAGE_DAYS} days per request.`);
  const groupBy = (q.get('group_by') ?? 'client').split(',').map((s) => s.trim());
  for (const g of groupBy) {
    if (!(USAGE_DIMENSIONS as readonly string[]).includes(g)) {
      throw new AppError('bad_request', `Invalid \`group_by\`: "${g}" is not one of client, day, action.`);
    }
  }
  if (new Set(groupBy).size !== groupBy.length)
    throw new AppError('bad_request', 'Invalid `group_by`: a dimension is repeated.');
  return { from, to, groupBy: groupBy as UsageDimension[] };
}

export function renderBudget(buckets: BucketState[] | null, limits: { perMinute: number; perDay: number }) {
  const one = (name: 'minute' | 'day', limit: number) => {
    const b = buckets?.find((x) => x.name === name);
    return {
      limit: b?.limit ?? limit,
      remaining: b?.remaining ?? limit,
      reset: b?.resetAt ?? null,
      window_seconds: b?.windowSec ?? null,
    };
  };
  return { minute: one('minute', limits.perMinute), day: one('day', limits.perDay) };
}

export function accountViewRoutes(
  accounts: AccountViewService,
  budgetOf: (ctx: RequestContext) => BucketState[] | null,
): Route[] {
  return [
    {
      method: 'GET',
      path: '/api/v1/balance',
      access: 'client',
      async handler({ ctx }) {
        const b = await accounts.balance(ctx.principal!);
        ctx.creditsRemaining = b.creditsRemaining;
        return {
          status: 200,
          headers: { 'Cache-Control': 'no-store' },
          json: {
            credits_remaining: credits(b.creditsRemaining),
            spent_today: credits(b.spentToday),
            spent_this_month: credits(b.spentThisMonth),
            as_of: b.asOf.toISOString(),
            meta: metaBlock(ctx),
          },
        };
      },
    },
    {
      method: 'GET',
      path: '/api/v1/account',
      access: 'client',
      async handler({ ctx }) {
        const v = await accounts.account(ctx.principal!, budgetOf(ctx));
        ctx.creditsRemaining = v.row.balance;
        return {
          status: 200,
          headers: { 'Cache-Control': 'no-store' },
          json: {
            account: {
              account_id: v.row.account_id,
              name: v.row.account_name,
              credits_remaining: credits(v.row.balance),
              created_at: v.row.account_created_at.toISOString(),
            },
            client: {
              client_id: v.row.client_id,
              name: v.row.client_name,
              tier: v.row.tier,
              mode: v.row.mode,
              ip_allowlist: v.row.ip_allowlist,
              scope: { brands: v.row.scope_brands, ownerships: v.row.scope_ownerships },
              expires_at: v.row.expires_at?.toISOString() ?? null,
              created_at: v.row.created_at.toISOString(),
            },
            rate_limits: renderBudget(v.budget, v.limits),
            meta: metaBlock(ctx),
          },
        };
      },
    },
    {
      method: 'GET',
      path: '/api/v1/usage',
      access: 'client',
      query: { from: 'one', to: 'one', group_by: 'list' },
      async handler({ query, ctx }) {
        const who = ctx.principal!;
        ctx.creditsRemaining = await accounts.creditsRemaining(who.accountId);
        const u = await accounts.usage(who, parseUsageQuery(query));
        return {
          status: 200,
          headers: { 'Cache-Control': 'no-store' },
          json: {
            from: u.from,
            to: u.to,
            group_by: u.groupBy,
            currency: 'credits',
            rows: u.rows.map((r) => ({
              ...(r.client_id !== undefined ? { client_id: r.client_id, client_name: r.client_name ?? null } : {}),
              ...(r.day !== undefined ? { day: r.day } : {}),
              ...(r.action !== undefined ? { action: r.action, units: Number(r.units ?? 0n) } : {}),
              requests: Number(r.requests),
              credits: credits(r.amount),
            })),
            totals: { requests: Number(u.totalRequests), credits: credits(u.totalAmount) },
            meta: metaBlock(ctx),
          },
        };
      },
    },
  ];
}
