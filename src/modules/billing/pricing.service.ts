// Current pricing, cached per node. A committed change to the pricing table is announced on `kc_invalidate` and
// drops every node's copy at once (docs/operations.md#cache-invalidation-across-nodes); the refresh interval
// (PRICING_REFRESH_MS, < the contract's 5 s) is the backstop while notifications are lost. The node that took
// the change refreshes at once.

import { parseCredits, type Units } from '../../kernel/credits.ts';
import { AppError } from '../../kernel/errors.ts';
import type { Sql } from '../../platform/db/client.ts';
import { readWithRetry } from '../../platform/db/read-retry.ts';
import { TIER_LIMITS } from '../limits/index.ts';
import { loadPricing, updatePricing } from './pricing.repository.ts';

export const ACTIONS = [
  'products.get',
  'products.get.per_image',
  'products.head',
  'products.bulk_check',
  'products.list',
] as const;
export type Action = (typeof ACTIONS)[number];

/** Well under the contract's 5 s, so a change is in effect everywhere even with one slow reload. */
const PRICING_REFRESH_MS = 2000;

export interface Pricing {
  rates: Record<Action, Units>;
  updatedAt: Date;
}

export interface TierInfo {
  tier: 'free' | 'standard' | 'enterprise';
  per_minute: number;
  per_day: number;
  watermarked_images: boolean;
  note: string;
}

const tier = (t: TierInfo['tier'], watermarked_images: boolean, note: string): TierInfo => ({
  tier: t,
  per_minute: TIER_LIMITS[t].perMinute,
  per_day: TIER_LIMITS[t].perDay,
  watermarked_images,
  note,
});

/** docs/limits.md#tiers, published as-is: the numbers are the rate limiter's own (one source of truth). */
export const TIERS: TierInfo[] = [
  tier('free', true, 'Images carry a visible watermark.'),
  tier('standard', false, 'For a single store or app.'),
  tier('enterprise', false, 'Set per client; these are the defaults.'),
];

export class PricingService {
  private cached: Pricing | null = null;
  private loadedAt = 0;
  private inflight: Promise<Pricing> | null = null;
  /** Bumped by every local change: a reload that started before it must not overwrite what came after. */
  private generation = 0;

  constructor(
    private readonly sql: Sql,
    private readonly refreshMs = PRICING_REFRESH_MS,
  ) {}

  async current(): Promise<Pricing> {
    if (this.cached && performance.now() - this.loadedAt < this.refreshMs) return this.cached;
    // One reload at a time; concurrent callers share it.
    this.inflight ??= this.reload();
    return this.inflight;
  }

  private async reload(): Promise<Pricing> {
    const gen = this.generation;
    try {
      const rows = await readWithRetry(() => loadPricing(this.sql));
      const rates = Object.fromEntries(ACTIONS.map((a) => [a, 0n])) as Record<Action, Units>;
      let updatedAt = new Date(0);
      for (const r of rows) {
        if ((ACTIONS as readonly string[]).includes(r.action)) rates[r.action as Action] = r.rate;
        if (r.updated_at > updatedAt) updatedAt = r.updated_at;
      }
      const pricing = { rates, updatedAt };
      if (gen === this.generation) {
        this.cached = pricing;
        this.loadedAt = performance.now();
      }
      return pricing;
    } finally {
      if (gen === this.generation) this.inflight = null;
    }
  }

  /** Admin: sets some rates. Every value must be a credit amount >= 0, exact to 0.0001. */
  async update(input: unknown): Promise<Pricing> {
    if (typeof input !== 'object' || input === null || Array.isArray(input) || Object.keys(input).length === 0) {
      throw new AppError('bad_request', '`actions` must be a non-empty object of action -> credits.');
    }
    const rates = new Map<string, bigint>();
    for (const [action, value] of Object.entries(input)) {
      if (!(ACTIONS as readonly string[]).includes(action))
        throw new AppError('bad_request', `Unknown action "${action}".`);
      const units = parseCredits(value);
      if (units === null || units < 0n)
        throw new AppError('bad_request', `Rate of "${action}" must be a credit amount >= 0 with at most 4 decimals.`);
      rates.set(action, units);
    }
    await updatePricing(this.sql, rates);
    // Invalidate (a reload still in flight read the old rates) and read the new ones now.
    this.invalidate();
    return this.current();
  }

  /** Drops the cached rates: the next read loads them again (a reload in flight may hold the old ones). */
  invalidate(): void {
    this.generation++;
    this.cached = null;
    this.inflight = null;
  }
}
