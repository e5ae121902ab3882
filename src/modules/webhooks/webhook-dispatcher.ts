// The delivery loop that runs in every API node (docs/webhooks.md#delivery). It claims due deliveries with
// FOR UPDATE SKIP LOCKED (nodes never take the same row), sends each as a signed POST, and records the outcome:
// delivered; a retry with exponential backoff and jitter; failed after WEBHOOKS_GIVE_UP_SEC (3 days), which also
// disables a subscription that kept failing that long. It wakes on LISTEN webhook_deliveries (the catalog
// triggers NOTIFY on commit) and polls every WEBHOOKS_POLL_MS as the fallback. stop() ends it cleanly.
import { setMaxListeners } from 'node:events';
import type { Logger } from '../../kernel/logger.ts';
import type { Sql } from '../../platform/db/client.ts';
import type { SecretBox } from './webhook-signer.ts';
import { sign } from './webhook-signer.ts';
import type { PostResult, WebhookPoster } from './webhook-target.ts';
import type { AttemptOutcome, ClaimedDelivery } from './webhooks.repository.ts';
import * as repo from './webhooks.repository.ts';

export interface DispatcherOptions {
  pollMs: number;
  concurrency: number;
  timeoutMs: number;
  retryBaseMs: number;
  retryMaxMs: number;
  giveUpSec: number;
  retentionDays: number;
}

/** Per-node counters since start (the cluster-wide numbers come from the delivery log). */
export interface DispatcherCounters {
  claimed: number;
  delivered: number;
  retried: number;
  failed: number;
  disabled: number;
}

const CLAIM_BATCH = 200;
const PRUNE_EVERY_MS = 10 * 60_000;
const SUCCESS_FLUSH_MS = 5;

/**
 * Delay before retry number `attempt` (1 = after the first failure): base·2^(attempt−1), capped, with "equal
 * jitter" (half fixed, half random) so receivers that come back are not hit by every node at the same instant.
 * A Retry-After from the receiver is honoured up to the cap.
 * @internal Exported for its tests.
 */
export function retryDelayMs(
  attempt: number,
  o: Pick<DispatcherOptions, 'retryBaseMs' | 'retryMaxMs'>,
  retryAfterSec: number | null = null,
  random: () => number = Math.random,
): number {
  const exp = Math.min(o.retryMaxMs, o.retryBaseMs * 2 ** Math.min(Math.max(attempt - 1, 0), 40));
  const jittered = exp / 2 + random() * (exp / 2);
  const wanted = retryAfterSec !== null ? Math.max(jittered, retryAfterSec * 1000) : jittered;
  return Math.round(Math.min(o.retryMaxMs, wanted));
}

/** The JSON body of a delivery (docs/webhooks.md#payloads): that something changed, never the paid data.  @internal Exported for its tests. */
export function payloadOf(
  d: Pick<
    ClaimedDelivery,
    'type' | 'barcode' | 'changed_fields' | 'variant' | 'updated_at' | 'event_at' | 'subscription_id'
  >,
): unknown {
  const data: Record<string, unknown> = {};
  if (d.type === 'webhook.test') data.webhook_id = d.subscription_id;
  else {
    data.barcode = d.barcode;
    if (d.type === 'product.updated') data.changed_fields = d.changed_fields ?? [];
    if (d.type.startsWith('product.image_')) data.variant = d.variant;
    data.updated_at = d.updated_at?.toISOString() ?? null;
  }
  return { type: d.type, timestamp: d.event_at.toISOString(), data };
}

export class WebhookDispatcher {
  readonly counters: DispatcherCounters = { claimed: 0, delivered: 0, retried: 0, failed: 0, disabled: 0 };
  private running = false;
  private loopDone: Promise<void> | null = null;
  private wakeUp: (() => void) | null = null;
  private pendingWake = false;
  private inFlight = new Map<bigint, Promise<void>>();
  private readonly abort = new AbortController();
  private listening: Promise<{ unlisten(): Promise<void> } | null> | null = null;
  private successes: { outcome: AttemptOutcome; done: () => void }[] = [];
  private flushTimer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> = Promise.resolve();
  private pruneTimer: NodeJS.Timeout | null = null;
  private readonly secrets = new Map<
    string,
    { enc: string; secret: string | null; previous: { secret: string; untilMs: number } | null }
  >();
  private readonly leaseMs: number;

  constructor(
    private readonly d: {
      sql: Sql;
      box: SecretBox;
      poster: WebhookPoster;
      log: Logger;
      options: DispatcherOptions;
    },
  ) {
    // Past the attempt's timeout with room for the outcome write: only a dead node's claim ever expires.
    this.leaseMs = d.options.timeoutMs * 3 + 30_000;
    // Every attempt in flight listens for the shutdown abort.
    setMaxListeners(0, this.abort.signal);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.listening = this.d.sql
      .listen('webhook_deliveries', () => this.wake())
      .then((l) => l as { unlisten(): Promise<void> })
      .catch((e) => {
        this.d.log.warn({ err: e }, 'webhooks: LISTEN failed; polling only');
        return null;
      });
    this.loopDone = this.loop();
    this.pruneTimer = setInterval(() => {
      repo
        .pruneOld(this.d.sql, this.d.options.retentionDays)
        .then((n) => n && this.d.log.info({ deleted: n }, 'webhooks: pruned old events and deliveries'))
        .catch((e) => this.d.log.warn({ err: e }, 'webhooks: prune failed'));
    }, PRUNE_EVERY_MS);
    this.pruneTimer.unref();
  }

  /** Stops claiming, gives in-flight attempts a moment, aborts the rest (they are due again at once). */
  async stop(graceMs = 2000): Promise<void> {
    if (this.pruneTimer) clearInterval(this.pruneTimer);
    const wasRunning = this.running;
    this.running = false;
    this.wake();
    await this.loopDone;
    if (this.inFlight.size) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.allSettled([...this.inFlight.values()]),
        new Promise((r) => {
          timer = setTimeout(r, graceMs);
        }),
      ]);
      clearTimeout(timer);
      this.abort.abort();
      await Promise.allSettled([...this.inFlight.values()]);
    }
    await this.flush();
    if (wasRunning) {
      // Bounded: with the database gone, UNLISTEN would wait for a connection that never comes.
      let timer: NodeJS.Timeout | undefined;
      const bounded = new Promise<void>((r) => {
        timer = setTimeout(r, 2000);
      });
      await Promise.race([this.listening?.then((l) => l?.unlisten()).catch(() => {}), bounded]);
      clearTimeout(timer);
    }
    this.d.poster.close();
  }

  /** Attempts one queued delivery now, in this request (test pings). */
  async deliverNow(deliveryId: bigint): Promise<void> {
    const claimed = await repo.claimOne(this.d.sql, deliveryId, this.leaseMs);
    if (!claimed) return;
    this.counters.claimed++;
    await this.attempt(claimed);
    await this.flush();
  }

  private wake(): void {
    this.pendingWake = true;
    const w = this.wakeUp;
    this.wakeUp = null;
    w?.();
  }

  private sleep(ms: number): Promise<void> {
    if (this.pendingWake || !this.running) {
      this.pendingWake = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.wakeUp = null;
        resolve();
      }, ms);
      this.wakeUp = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  private async loop(): Promise<void> {
    // Claims are batched: after a completion wakes the loop it claims again only once a quarter of the slots are
    // free (or nothing is in flight), so a busy node makes a few large claims rather than one per completion.
    const refill = Math.max(1, Math.floor(this.d.options.concurrency / 4));
    while (this.running) {
      this.pendingWake = false;
      const free = this.d.options.concurrency - this.inFlight.size;
      let claimed: ClaimedDelivery[] = [];
      if (free >= refill || (free > 0 && this.inFlight.size === 0)) {
        try {
          claimed = await repo.claimDue(this.d.sql, Math.min(free, CLAIM_BATCH), this.leaseMs);
        } catch (e) {
          if (this.running) this.d.log.warn({ err: e }, 'webhooks: claim failed');
          await this.sleep(this.d.options.pollMs);
          continue;
        }
      }
      for (const c of claimed) this.launch(c);
      this.counters.claimed += claimed.length;
      // A full batch may mean more is due: go again at once while enough slots are free.
      const more = claimed.length > 0 && claimed.length === Math.min(free, CLAIM_BATCH);
      if (more && this.d.options.concurrency - this.inFlight.size >= refill) continue;
      await this.sleep(this.d.options.pollMs);
    }
  }

  private launch(c: ClaimedDelivery): void {
    const p = this.attempt(c)
      .catch((e) => this.d.log.error({ err: e, delivery_id: c.delivery_id.toString() }, 'webhooks: attempt crashed'))
      .finally(() => {
        this.inFlight.delete(c.delivery_id);
        this.wake();
      });
    this.inFlight.set(c.delivery_id, p);
  }

  /**
   * The secrets that sign a delivery: the current one, and while a rotation's overlap lasts the one it replaced
   * (docs/webhooks.md#secret-rotation). Cached per subscription and current secret; the overlap's end is checked
   * on every attempt. Null when the current secret cannot be decrypted.
   */
  private async secretsOf(c: ClaimedDelivery): Promise<string[] | null> {
    let hit = this.secrets.get(c.subscription_id);
    if (!hit || hit.enc !== c.secret_enc) {
      if (this.secrets.size > 10_000) this.secrets.clear();
      const prev = await repo.previousSecret(this.d.sql, c.subscription_id, c.secret_enc);
      const prevSecret = prev === null ? null : this.d.box.open(prev.enc);
      hit = {
        enc: c.secret_enc,
        secret: this.d.box.open(c.secret_enc),
        previous: prev !== null && prevSecret !== null ? { secret: prevSecret, untilMs: prev.until.getTime() } : null,
      };
      this.secrets.set(c.subscription_id, hit);
    }
    if (hit.secret === null) return null;
    return hit.previous !== null && hit.previous.untilMs > Date.now()
      ? [hit.secret, hit.previous.secret]
      : [hit.secret];
  }

  private async attempt(c: ClaimedDelivery): Promise<void> {
    const secrets = await this.secretsOf(c);
    let result: PostResult;
    if (secrets === null) {
      result = {
        status: null,
        latencyMs: 0,
        excerpt: null,
        error: 'the signing secret cannot be decrypted (WEBHOOK_SECRET_KEYS changed)',
      };
    } else {
      const body = JSON.stringify(payloadOf(c));
      const ts = Math.floor(Date.now() / 1000);
      result = await this.d.poster.post(
        c.url,
        {
          'content-type': 'application/json',
          'user-agent': 'kosher-catalog-webhooks/1',
          'webhook-id': c.message_id,
          'webhook-timestamp': String(ts),
          'webhook-signature': secrets.map((k) => sign(k, c.message_id, ts, body)).join(' '),
        },
        body,
        this.abort.signal,
      );
    }
    const outcome: AttemptOutcome = {
      deliveryId: c.delivery_id,
      attempts: c.attempts,
      subscriptionId: c.subscription_id,
      gtin14: c.gtin14,
      status: result.status,
      latencyMs: result.latencyMs,
      excerpt: result.excerpt,
      error: result.error,
    };
    if (this.abort.signal.aborted && result.status === null) {
      await repo.releaseClaim(this.d.sql, c.delivery_id, c.attempts).catch(() => {});
      return;
    }
    if (result.status !== null && result.status >= 200 && result.status < 300) {
      this.counters.delivered++;
      await this.queueSuccess(outcome);
      return;
    }
    const delay = retryDelayMs(c.attempts, this.d.options, result.retryAfterSec ?? null);
    const r = await repo.recordFailure(this.d.sql, outcome, delay, this.d.options.giveUpSec);
    if (r.gaveUp === true) this.counters.failed++;
    else if (r.gaveUp === false) this.counters.retried++;
    if (r.disabled) {
      this.counters.disabled++;
      this.d.log.warn(
        { subscription_id: c.subscription_id },
        'webhooks: subscription disabled after failing for too long',
      );
    }
  }

  /** Successes are written in small batches (one statement each), which keeps up with thousands per second. */
  private queueSuccess(outcome: AttemptOutcome): Promise<void> {
    return new Promise((done) => {
      this.successes.push({ outcome, done });
      if (this.successes.length >= CLAIM_BATCH) void this.flush();
      else this.flushTimer ??= setTimeout(() => void this.flush(), SUCCESS_FLUSH_MS);
    });
  }

  private flush(): Promise<void> {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    const batch = this.successes;
    this.successes = [];
    this.flushing = this.flushing.then(async () => {
      if (batch.length === 0) return;
      try {
        await repo.recordSuccesses(
          this.d.sql,
          batch.map((b) => b.outcome),
        );
      } catch (e) {
        // The claims expire and the deliveries go again: at least once, never lost.
        this.d.log.warn({ err: e, count: batch.length }, 'webhooks: recording deliveries failed');
      } finally {
        for (const b of batch) b.done();
      }
    });
    return this.flushing;
  }
}
