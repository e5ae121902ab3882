// Who gets how many requests (docs/limits.md): per client_id a minute and a UTC-day bucket by tier, unless the
// client carries its own limits (admin `limits`); unauthenticated requests get a per-IP minute bucket.
import type { Principal, Tier } from '../../kernel/principal.ts';

export interface BucketLimits {
  perMinute: number;
  perDay: number;
}

/** Tier defaults; enterprise numbers are per-client defaults that admins usually override. */
export const TIER_LIMITS: Record<Tier, BucketLimits> = {
  free: { perMinute: 30, perDay: 500 },
  standard: { perMinute: 60, perDay: 10_000 },
  enterprise: { perMinute: 6_000, perDay: 1_000_000 },
};

export function limitsFor(p: Pick<Principal, 'tier' | 'limits'>): BucketLimits {
  const tier = TIER_LIMITS[p.tier] ?? TIER_LIMITS.free;
  return {
    perMinute: p.limits?.perMinute ?? tier.perMinute,
    perDay: p.limits?.perDay ?? tier.perDay,
  };
}

export interface WindowConfig {
  /** 60 in production; injectable (RATE_LIMIT_MINUTE_WINDOW_SEC) so tests can watch a reset. */
  minuteSec: number;
  /** 86400 in production: windows are aligned to the Unix epoch, so a day window is exactly a UTC day. */
  daySec: number;
}
