// Subscriptions of API clients to catalog changes (docs/webhooks.md): create (the secret is shown once), list,
// read, change, delete, ping, replay, and the delivery log; the operator's view over every client. Free: no
// call here debits credits, and no payload carries paid data (docs/webhooks.md#payloads). Nothing is sent to an
// endpoint before it answered the verification handshake, and what a client can make us send on demand (pings,
// verifications, replays) is rate-limited and capped (docs/webhooks.md#verification, docs/webhooks.md#limits).

import { AppError } from '../../kernel/errors.ts';
import { newUlid } from '../../kernel/ids.ts';
import { parseInput } from '../../kernel/parse-input.ts';
import type { Principal } from '../../kernel/principal.ts';
import type { Sql } from '../../platform/db/client.ts';
import { parseTimestamp, searchQuery } from '../listing/index.ts';
import type { WebhookLimits } from './webhook-limits.ts';
import { newSigningSecret, type SecretBox } from './webhook-signer.ts';
import { checkTargetAddress, parseTargetUrl, type Resolver, type TargetPolicy } from './webhook-target.ts';
import type { VerificationOutcome } from './webhook-verifier.ts';
import {
  createWebhookInput,
  normaliseFilter,
  replayInput,
  updateWebhookInput,
  type WebhookFilter,
} from './webhooks.input.ts';
import type { DeliveryRow, DeliveryStatus, SubscriptionRow, VerificationState } from './webhooks.repository.ts';
import * as repo from './webhooks.repository.ts';

const MAX_WEBHOOKS_PER_CLIENT = 10;
const MAX_REPLAY_EVENTS = 10_000;
const ID_RE = /^wh_[0-9A-HJKMNP-TV-Z]{26}$/;

export interface WebhookView {
  id: string;
  url: string;
  events: string[];
  filter: WebhookFilter;
  enabled: boolean;
  disabled_reason: string | null;
  disabled_at: string | null;
  failing_since: string | null;
  /** `verified` once the endpoint echoed a verification challenge; nothing is delivered before. */
  verification: VerificationState;
  verified_at: string | null;
  verification_error: string | null;
  created_at: string;
  updated_at: string;
}

export interface DeliveryView {
  delivery_id: string;
  message_id: string;
  event: string;
  barcode: string | null;
  kind: string;
  status: DeliveryStatus;
  attempts: number;
  last_status_code: number | null;
  last_error: string | null;
  latency_ms: number | null;
  response_excerpt: string | null;
  next_attempt_at: string | null;
  created_at: string;
  last_attempt_at: string | null;
  completed_at: string | null;
}

const iso = (d: Date | null) => (d === null ? null : d.toISOString());

function webhookView(r: SubscriptionRow): WebhookView {
  return {
    id: r.subscription_id,
    url: r.url,
    events: r.events,
    filter: r.filter as WebhookFilter,
    enabled: r.enabled,
    disabled_reason: r.disabled_reason,
    disabled_at: iso(r.disabled_at),
    failing_since: iso(r.failing_since),
    verification: r.verification,
    verified_at: iso(r.verified_at),
    verification_error: r.verification_error,
    created_at: r.created_at.toISOString(),
    updated_at: r.updated_at.toISOString(),
  };
}

function deliveryView(d: DeliveryRow): DeliveryView {
  const parked = d.status === 'pending' && !Number.isFinite(d.next_attempt_at.getTime());
  return {
    delivery_id: d.delivery_id.toString(),
    message_id: d.message_id,
    event: d.type,
    barcode: d.barcode,
    kind: d.kind,
    status: d.status,
    attempts: d.attempts,
    last_status_code: d.last_status,
    last_error: d.last_error,
    latency_ms: d.last_latency_ms,
    response_excerpt: d.response_excerpt,
    next_attempt_at: d.status === 'pending' && !parked ? d.next_attempt_at.toISOString() : null,
    created_at: d.created_at.toISOString(),
    last_attempt_at: iso(d.last_attempt_at),
    completed_at: iso(d.completed_at),
  };
}

export interface WebhookServiceDeps {
  sql: Sql;
  box: SecretBox;
  policy: TargetPolicy;
  retentionDays: number;
  /** Attempts a queued delivery now (the dispatcher's deliverNow); used by test pings. */
  attemptNow: (deliveryId: bigint) => Promise<void>;
  /** Sends the verification event to a URL and checks the echo (webhook-verifier.ts). */
  verify: (url: string, secret: string, webhookId: string) => Promise<VerificationOutcome>;
  limits: Pick<WebhookLimits, 'ping' | 'replay'>;
  /** Deliveries a subscription may have outstanding before a replay is refused (WEBHOOKS_MAX_OUTSTANDING). */
  maxOutstanding: number;
  /** How long a rotated-out signing secret still signs deliveries (WEBHOOKS_SECRET_OVERLAP_SEC). */
  secretOverlapSec: number;
  resolve?: Resolver;
}

export interface ReplayOutcome {
  queued: number;
  since: string;
  until: string;
  /** When the range held more than MAX_REPLAY_EVENTS: replay again from here. */
  next_since: string | null;
}

export class WebhookService {
  constructor(private readonly d: WebhookServiceDeps) {}

  private async target(raw: unknown): Promise<string> {
    const u = parseTargetUrl(raw, this.d.policy);
    await checkTargetAddress(u, this.d.policy, this.d.resolve);
    return u.toString();
  }

  private async owned(p: Principal, id: string): Promise<SubscriptionRow> {
    const row = ID_RE.test(id) ? await repo.getSubscription(this.d.sql, id, p.clientId) : null;
    if (!row) throw new AppError('not_found', 'No webhook with that id.');
    return row;
  }

  /**
   * Sends the verification event to the subscription's URL and records the outcome (docs/webhooks.md#verification).
   * `limited`: counts against the client's ping bucket (POST …/verify). Creating or re-pointing a subscription
   * does not: it sends one request per API call, already limited by the client's own rate limit, and a busy
   * integration test that creates many subscriptions must not be refused its verifications.
   */
  private async handshake(row: SubscriptionRow, secret: string | null, limited: boolean): Promise<SubscriptionRow> {
    if (limited) await this.d.limits.ping(row.client_id);
    const outcome =
      secret === null
        ? { verified: false, error: 'The signing secret cannot be decrypted (WEBHOOK_SECRET_KEYS changed).' }
        : await this.d.verify(row.url, secret, row.subscription_id);
    return (await repo.setVerification(this.d.sql, row.subscription_id, row.url, outcome)) ?? row;
  }

  /** Verifies the endpoint again (after a failed or skipped attempt); answers the subscription with the outcome. */
  async verify(p: Principal, id: string): Promise<WebhookView> {
    const sub = await this.owned(p, id);
    return webhookView(await this.handshake(sub, this.d.box.open(sub.secret_enc), true));
  }

  /** Creates a subscription and verifies its endpoint; the returned secret is never shown again. */
  async create(p: Principal, body: unknown): Promise<{ webhook: WebhookView; secret: string }> {
    const input = parseInput(createWebhookInput, body);
    const filter = normaliseFilter(input.filter);
    const url = await this.target(input.url);
    const secret = newSigningSecret();
    const row = await repo.insertSubscription(
      this.d.sql,
      {
        subscriptionId: `wh_${newUlid()}`,
        clientId: p.clientId,
        url,
        events: input.events,
        filter,
        searchQuery: filter.search !== undefined ? searchQuery(filter.search) : null,
        secretEnc: this.d.box.seal(secret),
      },
      MAX_WEBHOOKS_PER_CLIENT,
    );
    if (!row)
      throw new AppError('conflict', `At most ${MAX_WEBHOOKS_PER_CLIENT} webhooks per API client; delete one first.`);
    return { webhook: webhookView(await this.handshake(row, secret, false)), secret };
  }

  /**
   * A new signing secret, shown once (docs/webhooks.md#secret-rotation). The one it replaces keeps signing every
   * delivery beside it until `previous_secret_valid_until`, so a receiver can switch without losing events.
   */
  async rotateSecret(
    p: Principal,
    id: string,
  ): Promise<{ webhook: WebhookView; secret: string; previous_secret_valid_until: string }> {
    await this.owned(p, id);
    const secret = newSigningSecret();
    const row = await repo.rotateSecret(this.d.sql, id, p.clientId, this.d.box.seal(secret), this.d.secretOverlapSec);
    if (!row) throw new AppError('not_found', 'No webhook with that id.');
    return { webhook: webhookView(row), secret, previous_secret_valid_until: row.previous_secret_until.toISOString() };
  }

  async list(p: Principal): Promise<WebhookView[]> {
    return (await repo.listSubscriptions(this.d.sql, { clientId: p.clientId, limit: MAX_WEBHOOKS_PER_CLIENT * 2 })).map(
      webhookView,
    );
  }

  async get(p: Principal, id: string): Promise<WebhookView> {
    return webhookView(await this.owned(p, id));
  }

  async update(p: Principal, id: string, body: unknown): Promise<WebhookView> {
    const input = parseInput(updateWebhookInput, body);
    await this.owned(p, id);
    const patch: repo.SubscriptionPatch = {};
    if (input.url !== undefined) patch.url = await this.target(input.url);
    if (input.events !== undefined) patch.events = input.events;
    if (input.filter !== undefined) {
      patch.filter = normaliseFilter(input.filter);
      patch.searchQuery = patch.filter.search !== undefined ? searchQuery(patch.filter.search as string) : null;
    }
    if (input.enabled !== undefined) {
      patch.enabled = input.enabled;
      if (!input.enabled) patch.disabledReason = 'Disabled by the client.';
    }
    const row = await repo.updateSubscription(this.d.sql, id, patch, p.clientId);
    if (!row) throw new AppError('not_found', 'No webhook with that id.');
    // A new URL was reset to pending by the update: it proves itself before anything is sent to it.
    if (row.verification === 'pending' && patch.url !== undefined)
      return webhookView(await this.handshake(row, this.d.box.open(row.secret_enc), false));
    return webhookView(row);
  }

  async remove(p: Principal, id: string): Promise<void> {
    if (!ID_RE.test(id) || !(await repo.deleteSubscription(this.d.sql, id, p.clientId))) {
      throw new AppError('not_found', 'No webhook with that id.');
    }
  }

  /** Sends a `webhook.test` ping now and returns the attempt (whatever the receiver answered). */
  async test(p: Principal, id: string): Promise<DeliveryView> {
    const sub = await this.owned(p, id);
    assertVerified(sub);
    await this.d.limits.ping(p.clientId);
    const deliveryId = await repo.insertTestDelivery(this.d.sql, sub.subscription_id);
    await this.d.attemptNow(deliveryId);
    const row = await repo.getDelivery(this.d.sql, deliveryId);
    if (!row) throw new Error('test delivery vanished');
    return deliveryView(row);
  }

  /** Queues again every kept event of [since, until) that the subscription wants (docs/webhooks.md#replay). */
  async replay(p: Principal, id: string, body: unknown): Promise<ReplayOutcome> {
    const input = parseInput(replayInput, body);
    const sub = await this.owned(p, id);
    const since = parseTimestamp('since', input.since);
    const until = input.until === undefined ? new Date().toISOString() : parseTimestamp('until', input.until);
    const sinceMs = Date.parse(since.replace(/(\.\d{3})\d+/, '$1'));
    const untilMs = Date.parse(until.replace(/(\.\d{3})\d+/, '$1'));
    if (sinceMs > Date.now()) throw new AppError('bad_request', 'Invalid `since`: it is in the future.');
    if (untilMs <= sinceMs) throw new AppError('bad_request', 'Invalid `until`: must be after `since`.');
    const horizon = Date.now() - this.d.retentionDays * 86_400_000;
    if (sinceMs < horizon) {
      throw new AppError(
        'bad_request',
        `Invalid \`since\`: events are kept for ${this.d.retentionDays} days; ` +
          'use the listing with updated_since for anything older.',
      );
    }
    if (!sub.enabled) throw new AppError('conflict', 'The webhook is disabled; enable it before replaying.');
    assertVerified(sub);
    await this.d.limits.replay(p.clientId);
    const r = await repo.enqueueReplay(
      this.d.sql,
      sub.subscription_id,
      since,
      until,
      MAX_REPLAY_EVENTS,
      this.d.maxOutstanding,
    );
    if (r.capped) {
      throw new AppError(
        'conflict',
        `The webhook has ${r.outstanding} deliveries outstanding, at the cap of ${this.d.maxOutstanding}; ` +
          'replay again once they are delivered.',
      );
    }
    return { queued: r.queued, since, until, next_since: iso(r.nextSince) };
  }

  async deliveries(
    p: Principal,
    id: string,
    q: URLSearchParams | { limit?: number; status?: string },
  ): Promise<DeliveryView[]> {
    const sub = await this.owned(p, id);
    return this.log(sub.subscription_id, q);
  }

  private async log(
    subscriptionId: string,
    q: URLSearchParams | { limit?: number; status?: string },
  ): Promise<DeliveryView[]> {
    const { limit, status } = parseLogQuery(q);
    return (await repo.listDeliveries(this.d.sql, subscriptionId, { limit, status })).map(deliveryView);
  }

  // The operator's view (admin API and CLI): any client's subscriptions.

  async adminList(q: {
    clientId?: string;
    enabled?: boolean;
    limit?: number;
  }): Promise<(WebhookView & { client_id: string })[]> {
    const rows = await repo.listSubscriptions(this.d.sql, {
      clientId: q.clientId,
      enabled: q.enabled,
      limit: q.limit ?? 500,
    });
    return rows.map((r) => ({ ...webhookView(r), client_id: r.client_id }));
  }

  async adminGet(id: string): Promise<WebhookView & { client_id: string; stats: repo.DeliveryStats }> {
    const row = ID_RE.test(id) ? await repo.getSubscription(this.d.sql, id) : null;
    if (!row) throw new AppError('not_found', 'No webhook with that id.');
    return { ...webhookView(row), client_id: row.client_id, stats: await repo.deliveryStats(this.d.sql, id) };
  }

  async adminSetEnabled(id: string, enabled: boolean, reason?: string): Promise<WebhookView & { client_id: string }> {
    const row = ID_RE.test(id)
      ? await repo.updateSubscription(this.d.sql, id, {
          enabled,
          disabledReason: reason ?? 'Disabled by the operator.',
        })
      : null;
    if (!row) throw new AppError('not_found', 'No webhook with that id.');
    return { ...webhookView(row), client_id: row.client_id };
  }

  async adminDeliveries(id: string, q: URLSearchParams | { limit?: number; status?: string }): Promise<DeliveryView[]> {
    if (!ID_RE.test(id) || !(await repo.getSubscription(this.d.sql, id)))
      throw new AppError('not_found', 'No webhook with that id.');
    return this.log(id, q);
  }

  stats(): Promise<repo.DeliveryStats> {
    return repo.deliveryStats(this.d.sql);
  }
}

/** Pings and replays go only to an endpoint that proved it wants them. */
function assertVerified(sub: SubscriptionRow): void {
  if (sub.verification !== 'verified') {
    throw new AppError(
      'conflict',
      'The webhook endpoint is not verified; answer the verification challenge and POST /api/v1/webhooks/{id}/verify.',
    );
  }
}

const STATUSES: readonly DeliveryStatus[] = ['pending', 'delivered', 'failed'];

/** `limit` (1–100, default 50) and `status` of a delivery-log read. */
function parseLogQuery(q: URLSearchParams | { limit?: number; status?: string }): {
  limit: number;
  status?: DeliveryStatus;
} {
  let limitRaw: string | number | undefined;
  let status: string | undefined;
  if (q instanceof URLSearchParams) {
    for (const k of q.keys())
      if (k !== 'limit' && k !== 'status') throw new AppError('bad_request', `Unknown query parameter \`${k}\`.`);
    limitRaw = q.get('limit') ?? undefined;
    status = q.get('status') ?? undefined;
  } else {
    limitRaw = q.limit;
    status = q.status;
  }
  let limit = 50;
  if (limitRaw !== undefined) {
    const s = String(limitRaw);
    if (!/^\d{1,3}$/.test(s) || Number(s) < 1 || Number(s) > 100)
      throw new AppError('bad_request', 'Invalid `limit`: expected 1 to 100.');
    limit = Number(s);
  }
  if (status !== undefined && !(STATUSES as readonly string[]).includes(status)) {
    throw new AppError('bad_request', 'Invalid `status`: expected pending, delivered or failed.');
  }
  return { limit, status: status as DeliveryStatus | undefined };
}
