// Per-client limits on what makes us send requests to a target on demand (docs/webhooks.md#limits): test pings
// and verification requests share one bucket per minute, replays have one per hour. Held in the shared store, so
// they hold across nodes. A refusal is `429 rate_limited` with Retry-After.
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import { AppError } from '../../kernel/errors.ts';
import type { SharedState } from '../../platform/shared-state/shared-state.ts';

export class WebhookLimits {
  private readonly pings: RateLimiterAbstract;
  private readonly replays: RateLimiterAbstract;

  constructor(
    state: SharedState,
    private readonly o: { pingsPerMinute: number; replaysPerHour: number },
  ) {
    this.pings = state.rateLimiter({ keyPrefix: 'webhook-pings', points: o.pingsPerMinute, durationSec: 60 });
    this.replays = state.rateLimiter({ keyPrefix: 'webhook-replays', points: o.replaysPerHour, durationSec: 3600 });
  }

  /** Counts one test ping or verification request; throws 429 when the client used up its minute. */
  async ping(clientId: string): Promise<void> {
    const waitMs = await this.take(this.pings, clientId);
    if (waitMs > 0)
      throw refused(waitMs, `At most ${this.o.pingsPerMinute} test pings and verifications a minute per API client.`);
  }

  /** Counts one replay; throws 429 when the client used up its hour. */
  async replay(clientId: string): Promise<void> {
    const waitMs = await this.take(this.replays, clientId);
    if (waitMs > 0) throw refused(waitMs, `At most ${this.o.replaysPerHour} replays an hour per API client.`);
  }

  /** 0 when a point was taken, else the ms until one is free. Store errors are not refusals: they propagate. */
  private async take(limiter: RateLimiterAbstract, key: string): Promise<number> {
    try {
      await limiter.consume(key, 1);
      return 0;
    } catch (e) {
      if (e instanceof Error) throw e;
      return Math.max(1, (e as { msBeforeNext?: number }).msBeforeNext ?? 1000);
    }
  }
}

const refused = (waitMs: number, message: string) =>
  new AppError('rate_limited', message, { 'Retry-After': String(Math.max(1, Math.ceil(waitMs / 1000))) });
