// The free account endpoints (docs/rest.md#balance): balance with today's and this month's spend (UTC), the account
// with the calling client and its live rate-limit budget, and usage breakdowns for invoicing.

import type { Units } from '../../kernel/credits.ts';
import { AppError } from '../../kernel/errors.ts';
import type { Principal } from '../../kernel/principal.ts';
import type { Sql } from '../../platform/db/client.ts';
import { readWithRetry } from '../../platform/db/read-retry.ts';
import { accountBalance } from '../billing/index.ts';
import type { BucketState } from '../limits/index.ts';
import { limitsFor } from '../limits/index.ts';
import {
  type AccountClientRow,
  accountAndClient,
  balanceWithSpend,
  clientNames,
  testUsageByAction,
  testUsageByClientDay,
  usageByAction,
  usageByClientDay,
} from './account-view.repository.ts';

export interface Balance {
  creditsRemaining: Units;
  spentToday: Units;
  spentThisMonth: Units;
  asOf: Date;
}

export type UsageDimension = 'client' | 'day' | 'action';
export const USAGE_DIMENSIONS: readonly UsageDimension[] = ['client', 'day', 'action'];

export interface UsageRequest {
  from: string; // YYYY-MM-DD, inclusive (UTC)
  to: string; // YYYY-MM-DD, inclusive (UTC)
  groupBy: UsageDimension[];
}

export interface UsageLine {
  client_id?: string;
  client_name?: string | null;
  day?: string;
  action?: string;
  requests: bigint;
  units?: bigint;
  amount: Units;
}

export interface Usage {
  from: string;
  to: string;
  groupBy: UsageDimension[];
  rows: UsageLine[];
  totalRequests: bigint;
  totalAmount: Units;
}

export interface AccountView {
  row: AccountClientRow;
  limits: { perMinute: number; perDay: number };
  budget: BucketState[] | null;
}

const gone = () =>
  new AppError('unauthenticated', 'This API client no longer exists.', { 'WWW-Authenticate': 'Bearer' });

export class AccountViewService {
  constructor(private readonly sql: Sql) {}

  /** The balance for X-Credits-Remaining on free endpoints (one primary-key read). */
  async creditsRemaining(accountId: string): Promise<Units | null> {
    return readWithRetry(() => accountBalance(this.sql, accountId));
  }

  async balance(who: Principal): Promise<Balance> {
    const r = await readWithRetry(() => balanceWithSpend(this.sql, who.accountId));
    if (!r) throw gone();
    return {
      creditsRemaining: r.balance,
      spentToday: r.spent_today,
      spentThisMonth: r.spent_this_month,
      asOf: r.as_of,
    };
  }

  async account(who: Principal, budget: BucketState[] | null): Promise<AccountView> {
    const row = await accountAndClient(this.sql, who.clientId);
    if (!row) throw gone();
    return { row, limits: limitsFor(who), budget };
  }

  /**
   * The account's usage. A test client sees the account's test usage (what its test clients' reads would have cost),
   * a live client the ledger's: the two are reported apart (docs/test-mode.md#usage).
   */
  async usage(who: Principal, req: UsageRequest): Promise<Usage> {
    const withAction = req.groupBy.includes('action');
    const test = who.mode === 'test';
    const byClientDay = test ? testUsageByClientDay : usageByClientDay;
    const [raw, names] = await Promise.all([
      withAction
        ? (test ? testUsageByAction : usageByAction)(this.sql, who.accountId, req.from, req.to)
        : byClientDay(this.sql, who.accountId, req.from, req.to),
      req.groupBy.includes('client')
        ? clientNames(this.sql, who.accountId)
        : Promise.resolve(new Map<string, string>()),
    ]);
    // Rows are (client, day[, action]) groups; fold them onto the requested dimensions. Request counts
    // add up across clients and days (disjoint debits); with `action` a debit counts once per action in it.
    const groups = new Map<string, UsageLine>();
    for (const r of raw) {
      const key = req.groupBy
        .map((d) => (d === 'client' ? r.client_id : d === 'day' ? r.day : r.action))
        .join('\u0000');
      let g = groups.get(key);
      if (!g) {
        g = { requests: 0n, amount: 0n };
        if (req.groupBy.includes('client')) {
          g.client_id = r.client_id;
          g.client_name = names.get(r.client_id) ?? null;
        }
        if (req.groupBy.includes('day')) g.day = r.day;
        if (withAction) {
          g.action = r.action ?? '';
          g.units = 0n;
        }
        groups.set(key, g);
      }
      g.requests += r.requests;
      g.amount += r.amount;
      if (withAction) g.units = (g.units ?? 0n) + (r.units ?? 0n);
    }
    const totals = withAction ? await byClientDay(this.sql, who.accountId, req.from, req.to) : raw;
    return {
      from: req.from,
      to: req.to,
      groupBy: req.groupBy,
      rows: [...groups.values()],
      totalRequests: totals.reduce((s, r) => s + r.requests, 0n),
      totalAmount: totals.reduce((s, r) => s + r.amount, 0n),
    };
  }
}
