// SQL of webhooks: subscriptions, the delivery log, the claim of due deliveries and their outcomes. The outbox
// rows (webhook_events) and the live deliveries are written by triggers in the catalog writer's transaction
// (migration 0900, docs/webhooks.md#outbox); this file only reads them, replays them and records attempts.
import type { Sql } from '../../platform/db/client.ts';

export type DeliveryStatus = 'pending' | 'delivered' | 'failed';
export type VerificationState = 'pending' | 'verified' | 'failed';
type DeliveryKind = 'live' | 'replay' | 'test';

export interface SubscriptionRow {
  subscription_id: string;
  client_id: string;
  url: string;
  events: string[];
  filter: Record<string, unknown>;
  search_query: string | null;
  secret_enc: string;
  enabled: boolean;
  disabled_reason: string | null;
  disabled_at: Date | null;
  failing_since: Date | null;
  verification: VerificationState;
  verified_at: Date | null;
  verification_error: string | null;
  created_at: Date;
  updated_at: Date;
}

export interface DeliveryRow {
  delivery_id: bigint;
  subscription_id: string;
  message_id: string;
  type: string;
  barcode: string | null;
  kind: DeliveryKind;
  status: DeliveryStatus;
  attempts: number;
  next_attempt_at: Date;
  first_attempt_at: Date | null;
  last_attempt_at: Date | null;
  last_status: number | null;
  last_error: string | null;
  last_latency_ms: number | null;
  response_excerpt: string | null;
  created_at: Date;
  completed_at: Date | null;
}

/** A delivery claimed for one attempt, with what is needed to send it. */
export interface ClaimedDelivery {
  delivery_id: bigint;
  attempts: number;
  kind: DeliveryKind;
  subscription_id: string;
  /** The ordering key (null for test pings). */
  gtin14: string | null;
  url: string;
  secret_enc: string;
  message_id: string;
  type: string;
  barcode: string | null;
  changed_fields: string[] | null;
  variant: string | null;
  updated_at: Date | null;
  event_at: Date;
}

export interface NewSubscription {
  subscriptionId: string;
  clientId: string;
  url: string;
  events: string[];
  filter: Record<string, unknown>;
  searchQuery: string | null;
  secretEnc: string;
}

const SUB_COLUMNS =
  'subscription_id, client_id, url, events, filter, search_query, secret_enc, enabled, disabled_reason, disabled_at, ' +
  'failing_since, verification, verified_at, verification_error, created_at, updated_at';

/**
 * Inserts a subscription unless the client already has `max`. The client row is locked first, so two
 * concurrent creates of one client cannot both pass the count. Returns null when the client is at the limit.
 */
export async function insertSubscription(sql: Sql, s: NewSubscription, max: number): Promise<SubscriptionRow | null> {
  return sql.begin(async (tx) => {
    await tx`/* webhookLockClient */ select 1 from api_clients where client_id = ${s.clientId} for update`;
    const [{ n }] = await tx<{ n: number }[]>`/* webhookCount */
      select count(*)::int as n from webhook_subscriptions where client_id = ${s.clientId}`;
    if (n >= max) return null;
    const [row] = await tx<SubscriptionRow[]>`/* webhookInsert */
      insert into webhook_subscriptions (subscription_id, client_id, url, events, filter, search_query, secret_enc)
      values (${s.subscriptionId}, ${s.clientId}, ${s.url}, ${s.events}, ${tx.json(s.filter as never)},
        ${s.searchQuery},
        ${s.secretEnc})
      returning ${tx.unsafe(SUB_COLUMNS)}`;
    return row;
  }) as Promise<SubscriptionRow | null>;
}

export async function listSubscriptions(
  sql: Sql,
  q: { clientId?: string; enabled?: boolean; limit: number },
): Promise<SubscriptionRow[]> {
  return sql<SubscriptionRow[]>`/* webhookList */
    select ${sql.unsafe(SUB_COLUMNS)} from webhook_subscriptions
    where true
      ${q.clientId !== undefined ? sql`and client_id = ${q.clientId}` : sql``}
      ${q.enabled !== undefined ? sql`and enabled = ${q.enabled}` : sql``}
    order by created_at, subscription_id
    limit ${q.limit}`;
}

/** One subscription; with clientId, only if it belongs to that client. */
export async function getSubscription(sql: Sql, id: string, clientId?: string): Promise<SubscriptionRow | null> {
  const [row] = await sql<SubscriptionRow[]>`/* webhookGet */
    select ${sql.unsafe(SUB_COLUMNS)} from webhook_subscriptions
    where subscription_id = ${id} ${clientId !== undefined ? sql`and client_id = ${clientId}` : sql``}`;
  return row ?? null;
}

export interface SubscriptionPatch {
  url?: string;
  events?: string[];
  filter?: Record<string, unknown>;
  searchQuery?: string | null;
  enabled?: boolean;
  disabledReason?: string | null;
}

/**
 * Changes a subscription. Disabling parks its pending deliveries (next attempt at infinity) so the claim
 * query never scans them; enabling clears the failure streak and makes them due again.
 */
export async function updateSubscription(
  sql: Sql,
  id: string,
  p: SubscriptionPatch,
  clientId?: string,
): Promise<SubscriptionRow | null> {
  return sql.begin(async (tx) => {
    const [before] = await tx<{ url: string }[]>`/* webhookLockForUpdate */
      select url from webhook_subscriptions where subscription_id = ${id} for update`;
    const [row] = await tx<SubscriptionRow[]>`/* webhookUpdate */
      update webhook_subscriptions set
        url = coalesce(${p.url ?? null}::text, url),
        events = coalesce(${p.events ?? null}::text[], events),
        filter = ${p.filter !== undefined ? tx`${tx.json(p.filter as never)}::jsonb` : tx`filter`},
        search_query = ${p.filter !== undefined ? tx`${p.searchQuery ?? null}::text` : tx`search_query`},
        enabled = coalesce(${p.enabled ?? null}::boolean, enabled),
        disabled_reason = case when ${p.enabled ?? null}::boolean is null then disabled_reason
          when ${p.enabled ?? null}::boolean then null else ${p.disabledReason ?? null}::text end,
        disabled_at = case when ${p.enabled ?? null}::boolean is null then disabled_at
          when ${p.enabled ?? null}::boolean then null when enabled then now() else disabled_at end,
        failing_since = case when ${p.enabled ?? null}::boolean then null else failing_since end,
        updated_at = now()
      where subscription_id = ${id} ${clientId !== undefined ? tx`and client_id = ${clientId}` : tx``}
      returning ${tx.unsafe(SUB_COLUMNS)}`;
    if (!row) return null;
    if (p.url !== undefined && p.url !== before?.url) {
      // A new endpoint proves itself again; until then nothing is sent to it (docs/webhooks.md#verification).
      const [reset] = await tx<SubscriptionRow[]>`/* webhookUnverify */
        update webhook_subscriptions set verification = 'pending', verified_at = null, verification_error = null
        where subscription_id = ${id} returning ${tx.unsafe(SUB_COLUMNS)}`;
      await tx`/* webhookPark */ update webhook_deliveries set next_attempt_at = 'infinity'
        where subscription_id = ${id} and status = 'pending'`;
      return reset;
    }
    if (p.enabled === true && row.verification === 'verified') {
      await tx`/* webhookResume */ update webhook_deliveries set next_attempt_at = now()
        where subscription_id = ${id} and status = 'pending' and next_attempt_at = 'infinity'`;
    } else if (p.enabled === false) {
      await tx`/* webhookPark */ update webhook_deliveries set next_attempt_at = 'infinity'
        where subscription_id = ${id} and status = 'pending'`;
    }
    return row;
  }) as Promise<SubscriptionRow | null>;
}

/**
 * Records a verification attempt's outcome, unless the subscription's URL changed meanwhile (that URL is checked
 * by its own attempt). Verified and enabled: its parked deliveries are due again.
 */
/**
 * Replaces the signing secret and keeps the one it replaced for `overlapSec` (docs/webhooks.md#secret-rotation):
 * deliveries are signed with both until then. A rotation inside the window drops the oldest secret.
 */
export async function rotateSecret(
  sql: Sql,
  id: string,
  clientId: string,
  secretEnc: string,
  overlapSec: number,
): Promise<(SubscriptionRow & { previous_secret_until: Date }) | null> {
  const [row] = await sql<(SubscriptionRow & { previous_secret_until: Date })[]>`/* webhookRotateSecret */
    update webhook_subscriptions
    set previous_secret_enc = secret_enc, previous_secret_until = now() + ${overlapSec} * interval '1 second',
        secret_enc = ${secretEnc}, updated_at = now()
    where subscription_id = ${id} and client_id = ${clientId}
    returning ${sql.unsafe(SUB_COLUMNS)}, previous_secret_until`;
  return row ?? null;
}

/** The secret a rotation replaced, while its overlap lasts, for the subscription whose current secret is `secretEnc`. */
export async function previousSecret(
  sql: Sql,
  id: string,
  secretEnc: string,
): Promise<{ enc: string; until: Date } | null> {
  const [row] = await sql<{ enc: string; until: Date }[]>`/* webhookPreviousSecret */
    select previous_secret_enc as enc, previous_secret_until as until from webhook_subscriptions
    where subscription_id = ${id} and secret_enc = ${secretEnc}
      and previous_secret_enc is not null and previous_secret_until > now()`;
  return row ?? null;
}

export async function setVerification(
  sql: Sql,
  id: string,
  url: string,
  o: { verified: boolean; error: string | null },
): Promise<SubscriptionRow | null> {
  return sql.begin(async (tx) => {
    const [row] = await tx<SubscriptionRow[]>`/* webhookVerified */
      update webhook_subscriptions set
        verification = ${o.verified ? 'verified' : 'failed'},
        verified_at = ${o.verified ? tx`now()` : tx`null`},
        verification_error = ${o.error === null ? null : o.error.slice(0, 300)},
        updated_at = now()
      where subscription_id = ${id} and url = ${url}
      returning ${tx.unsafe(SUB_COLUMNS)}`;
    if (row?.verification === 'verified' && row.enabled) {
      await tx`/* webhookResume */ update webhook_deliveries set next_attempt_at = now()
        where subscription_id = ${id} and status = 'pending' and next_attempt_at = 'infinity'`;
    }
    return row ?? null;
  }) as Promise<SubscriptionRow | null>;
}

export async function deleteSubscription(sql: Sql, id: string, clientId: string): Promise<boolean> {
  const rows = await sql`/* webhookDelete */
    delete from webhook_subscriptions where subscription_id = ${id} and client_id = ${clientId} returning 1`;
  return rows.length > 0;
}

const DELIVERY_COLUMNS = [
  'd.delivery_id',
  'd.subscription_id',
  'e.message_id',
  'e.type',
  'e.barcode',
  'd.kind',
  'd.status',
  'd.attempts',
  'd.next_attempt_at',
  'd.first_attempt_at',
  'd.last_attempt_at',
  'd.last_status',
  'd.last_error',
  'd.last_latency_ms',
  'd.response_excerpt',
  'd.created_at',
  'd.completed_at',
].join(', ');

/** The newest deliveries of a subscription first. */
export async function listDeliveries(
  sql: Sql,
  subscriptionId: string,
  q: { limit: number; status?: DeliveryStatus },
): Promise<DeliveryRow[]> {
  return sql<DeliveryRow[]>`/* webhookDeliveries */
    select ${sql.unsafe(DELIVERY_COLUMNS)}
    from webhook_deliveries d join webhook_events e on e.event_id = d.event_id
    where d.subscription_id = ${subscriptionId} ${q.status ? sql`and d.status = ${q.status}` : sql``}
    order by d.delivery_id desc
    limit ${q.limit}`;
}

export async function getDelivery(sql: Sql, deliveryId: bigint): Promise<DeliveryRow | null> {
  const [row] = await sql<DeliveryRow[]>`/* webhookDelivery */
    select ${sql.unsafe(DELIVERY_COLUMNS)}
    from webhook_deliveries d join webhook_events e on e.event_id = d.event_id
    where d.delivery_id = ${deliveryId.toString()}::bigint`;
  return row ?? null;
}

/** A ping: its own event (not a catalog change) and one delivery that the caller attempts at once. */
export async function insertTestDelivery(sql: Sql, subscriptionId: string): Promise<bigint> {
  const [row] = await sql<{ delivery_id: bigint }[]>`/* webhookTestDelivery */
    with ev as (insert into webhook_events (type) values ('webhook.test') returning event_id)
    insert into webhook_deliveries (subscription_id, event_id, kind, next_attempt_at)
    select ${subscriptionId}, event_id, 'test', 'infinity' from ev
    returning delivery_id`;
  return row.delivery_id;
}

export interface ReplayResult {
  queued: number;
  /** created_at of the first event left out (the `since` of the next replay), when the range was cut. */
  nextSince: Date | null;
  /** Deliveries of the subscription outstanding before this replay (pending: queued, in flight or retrying). */
  outstanding: number;
  /** True when nothing was looked at because `outstanding` had reached the cap. */
  capped: boolean;
}

/**
 * Queues the events of [since, until) that the subscription wants now (its events, filter and the client's scope,
 * decided by webhook_enqueue as for live deliveries) as replay deliveries, after anything already pending for the
 * same products. An event already pending for the subscription is not queued again. At most `limit` events of the
 * range are looked at, and no more than keep the subscription's outstanding deliveries within `maxOutstanding`;
 * `nextSince` says where the rest begins. The subscription row is locked, so concurrent replays of one
 * subscription de-duplicate and count against the cap one after the other.
 */
export async function enqueueReplay(
  sql: Sql,
  subscriptionId: string,
  since: string,
  until: string,
  limit: number,
  maxOutstanding: number,
): Promise<ReplayResult> {
  return sql.begin(async (tx) => {
    await tx`/* webhookReplayLock */ select 1 from webhook_subscriptions where subscription_id = ${subscriptionId}
      for update`;
    const [{ outstanding }] = await tx<{ outstanding: number }[]>`/* webhookOutstanding */
      select count(*)::int as outstanding from webhook_deliveries
      where subscription_id = ${subscriptionId} and status = 'pending'`;
    const room = Math.min(limit, maxOutstanding - outstanding);
    if (room <= 0) return { queued: 0, nextSince: null, outstanding, capped: true };
    const picked = await tx<{ event_id: bigint; created_at: Date }[]>`/* webhookReplayPick */
      select event_id, created_at from webhook_events
      where created_at >= ${since}::timestamptz and created_at < ${until}::timestamptz and type <> 'webhook.test'
        -- the catalog of the client's mode: a test client's replay reads sandbox events, a live client's live ones
        and catalog = (select c.mode from webhook_subscriptions s join api_clients c on c.client_id = s.client_id
                       where s.subscription_id = ${subscriptionId})
      order by created_at, event_id
      limit ${room + 1}`;
    const cut = picked.length > room ? picked[room] : null;
    const ids = picked.slice(0, room).map((r) => r.event_id.toString());
    if (ids.length === 0) return { queued: 0, nextSince: null, outstanding, capped: false };
    const [{ n }] = await tx<{ n: number }[]>`/* webhookReplayEnqueue */
      select webhook_enqueue(${ids}::bigint[], ${subscriptionId}, 'replay') as n`;
    return { queued: n, nextSince: cut?.created_at ?? null, outstanding, capped: false };
  }) as Promise<ReplayResult>;
}

/** Claims up to n due deliveries for one attempt each: webhook_claim in migration 0900 (docs/webhooks.md#claiming). */
export async function claimDue(sql: Sql, n: number, leaseMs: number): Promise<ClaimedDelivery[]> {
  return sql<ClaimedDelivery[]>`/* webhookClaim */
    select delivery_id, attempts, kind, subscription_id, gtin14, url, secret_enc, message_id, type, barcode,
           changed_fields, variant, updated_at, event_at
    from webhook_claim(${n}::int, ${leaseMs}::int)`;
}

/** Claims one given delivery (a test ping, attempted by the request that made it). */
export async function claimOne(sql: Sql, deliveryId: bigint, leaseMs: number): Promise<ClaimedDelivery | null> {
  const [row] = await sql<ClaimedDelivery[]>`/* webhookClaimOne */
    with claimed as (
      update webhook_deliveries d
      set attempts = d.attempts + 1, last_attempt_at = now(), first_attempt_at = coalesce(d.first_attempt_at, now()),
          next_attempt_at = now() + ${leaseMs} * interval '1 millisecond'
      where d.delivery_id = ${deliveryId.toString()}::bigint and d.status = 'pending'
      returning d.delivery_id, d.attempts, d.kind, d.subscription_id, d.gtin14, d.event_id
    )
    select c.delivery_id, c.attempts, c.kind, c.subscription_id, c.gtin14, s.url, s.secret_enc, e.message_id, e.type,
           e.barcode, e.changed_fields, e.variant, e.updated_at, e.created_at as event_at
    from claimed c
    join webhook_subscriptions s on s.subscription_id = c.subscription_id
    join webhook_events e on e.event_id = c.event_id`;
  return row ?? null;
}

export interface AttemptOutcome {
  deliveryId: bigint;
  /** The claim's attempt number: a stale writer (its lease expired and another node took over) changes nothing. */
  attempts: number;
  subscriptionId: string;
  /** The ordering key of the delivery (null for test pings). */
  gtin14: string | null;
  status: number | null;
  latencyMs: number;
  excerpt: string | null;
  error: string | null;
}

/** Records successful attempts in one call (webhook_delivered), and ends the failure streak of their subscriptions. */
export async function recordSuccesses(sql: Sql, outcomes: AttemptOutcome[]): Promise<void> {
  if (outcomes.length === 0) return;
  await sql`/* webhookDelivered */
    select webhook_delivered(${outcomes.map((o) => o.deliveryId.toString())}::bigint[],
      ${outcomes.map((o) => o.attempts)}::int[], ${outcomes.map((o) => o.status ?? 0)}::int[],
      ${outcomes.map((o) => o.latencyMs)}::int[], ${outcomes.map((o) => o.excerpt)}::text[])`;
}

export interface FailureResult {
  /** The delivery is given up (failed), or null when the outcome was stale. */
  gaveUp: boolean | null;
  /** The subscription was disabled by this failure (failing for longer than giveUpSec). */
  disabled: boolean;
}

/**
 * Records a failed attempt: a retry at now + delayMs, or `failed` once the first attempt is giveUpSec old (test
 * pings are never retried). The subscription's failure streak starts with its first failure after a success;
 * a streak older than giveUpSec disables the subscription with the reason, and parks its pending deliveries.
 */
export async function recordFailure(
  sql: Sql,
  o: AttemptOutcome,
  delayMs: number,
  giveUpSec: number,
): Promise<FailureResult> {
  return sql.begin(async (tx) => {
    const [d] = await tx<{ status: DeliveryStatus; kind: DeliveryKind }[]>`/* webhookAttemptFailed */
      update webhook_deliveries d set
        status = case when d.kind = 'test' or d.first_attempt_at <= now() - ${giveUpSec} * interval '1 second'
                 then 'failed' else 'pending' end,
        completed_at = case when d.kind = 'test' or d.first_attempt_at <= now() - ${giveUpSec} * interval '1 second'
                 then now() end,
        next_attempt_at = now() + ${delayMs} * interval '1 millisecond',
        last_status = ${o.status}, last_error = ${o.error}, last_latency_ms = ${o.latencyMs},
        response_excerpt = ${o.excerpt}
      where d.delivery_id = ${o.deliveryId.toString()}::bigint and d.attempts = ${o.attempts} and d.status = 'pending'
      returning d.status, d.kind`;
    if (!d) return { gaveUp: null, disabled: false };
    if (d.kind === 'test') return { gaveUp: true, disabled: false };
    if (d.status === 'pending' && o.gtin14 !== null) {
      // The product's later deliveries wait for this one anyway: move them out of the due range until its retry,
      // so claims do not walk past them again and again while a receiver is down.
      await tx`/* webhookHoldBack */
        update webhook_deliveries
        set next_attempt_at = greatest(next_attempt_at, now() + ${delayMs} * interval '1 millisecond')
        where subscription_id = ${o.subscriptionId} and gtin14 = ${o.gtin14} and status = 'pending'
          and delivery_id > ${o.deliveryId.toString()}::bigint`;
    }
    const reason =
      `Deliveries failed for more than ${Math.round(giveUpSec / 3600)} h; last error: ` +
      `${o.status !== null ? `HTTP ${o.status}` : (o.error ?? 'unknown')}`.slice(0, 300);
    const [s] = await tx<{ disabled: boolean }[]>`/* webhookStreak */
      update webhook_subscriptions s set
        failing_since = coalesce(s.failing_since, now()),
        enabled = s.enabled
          and not (s.failing_since is not null and s.failing_since <= now() - ${giveUpSec} * interval '1 second'),
        disabled_at = case when s.enabled and s.failing_since <= now() - ${giveUpSec} * interval '1 second'
                      then now() else s.disabled_at end,
        disabled_reason = case when s.enabled and s.failing_since <= now() - ${giveUpSec} * interval '1 second'
                      then ${reason} else s.disabled_reason end
      where s.subscription_id = ${o.subscriptionId}
      returning (s.disabled_at = now() and not s.enabled) as disabled`;
    const disabled = !!s?.disabled;
    if (disabled) {
      await tx`/* webhookPark */ update webhook_deliveries set next_attempt_at = 'infinity'
        where subscription_id = ${o.subscriptionId} and status = 'pending'`;
    }
    return { gaveUp: d.status === 'failed', disabled };
  }) as Promise<FailureResult>;
}

/** An attempt cut short by shutdown: due again at once, for whichever node claims it next. */
export async function releaseClaim(sql: Sql, deliveryId: bigint, attempts: number): Promise<void> {
  await sql`/* webhookRelease */
    update webhook_deliveries set next_attempt_at = now(), last_error = 'interrupted: the sending node shut down'
    where delivery_id = ${deliveryId.toString()}::bigint and attempts = ${attempts} and status = 'pending'`;
}

export interface DeliveryStats {
  queued: number;
  retrying: number;
  delivered: number;
  failed: number;
  retries: number;
  oldest_due_seconds: number | null;
}

/** Counts over the kept delivery log, cluster-wide or for one subscription. */
export async function deliveryStats(sql: Sql, subscriptionId?: string): Promise<DeliveryStats> {
  const [r] = await sql<DeliveryStats[]>`/* webhookStats */
    select count(*) filter (where status = 'pending')::int as queued,
           count(*) filter (where status = 'pending' and attempts > 0)::int as retrying,
           count(*) filter (where status = 'delivered')::int as delivered,
           count(*) filter (where status = 'failed')::int as failed,
           coalesce(sum(greatest(attempts - 1, 0)), 0)::int as retries,
           extract(epoch from now() - min(next_attempt_at)
             filter (where status = 'pending' and next_attempt_at <= now()))::float8
             as oldest_due_seconds
    from webhook_deliveries
    ${subscriptionId !== undefined ? sql`where subscription_id = ${subscriptionId}` : sql``}`;
  return r;
}

/** Deletes finished deliveries and events older than the retention, a bounded batch at a time. */
export async function pruneOld(sql: Sql, retentionDays: number, batch = 5000): Promise<number> {
  return sql.begin(async (tx) => {
    const [{ ok }] = await tx<
      { ok: boolean }[]
    >`/* webhookPruneLock */ select pg_try_advisory_xact_lock(726112609) as ok`;
    if (!ok) return 0;
    const d = await tx`/* webhookPruneDeliveries */
      delete from webhook_deliveries where delivery_id in (
        select delivery_id from webhook_deliveries
        where status <> 'pending' and completed_at < now() - ${retentionDays} * interval '1 day' limit ${batch})`;
    const e = await tx`/* webhookPruneEvents */
      delete from webhook_events where event_id in (
        select e.event_id from webhook_events e
        where e.created_at < now() - ${retentionDays} * interval '1 day'
          and not exists (select 1 from webhook_deliveries x where x.event_id = e.event_id)
        order by e.created_at limit ${batch})`;
    return d.count + e.count;
  }) as Promise<number>;
}
