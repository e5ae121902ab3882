// Webhook subscriptions in GraphQL (docs/webhooks.md#subscriptions): the `webhooks` and `webhook` queries and
// the create/update/delete/test/replay mutations, over the same WebhookService as /api/v1/webhooks (free).

import { AppError } from '../../kernel/errors.ts';
import type { Principal } from '../../kernel/principal.ts';
import type { Builder } from '../../platform/graphql/builder.ts';
import type { GraphQLContext } from '../../platform/graphql/context.ts';
import { free } from '../../platform/graphql/field-access.ts';
import type { WebhookEvent, WebhookFilter } from './webhooks.input.ts';
import type { DeliveryView, ReplayOutcome, WebhookService, WebhookView } from './webhooks.service.ts';

declare module '../../platform/graphql/context.ts' {
  interface GraphQLServices {
    webhooks: WebhookService;
  }
}

function who(c: GraphQLContext): { p: Principal; svc: WebhookService } {
  if (!c.ctx.principal) throw new AppError('unauthenticated', 'Send a bearer access token.');
  return { p: c.ctx.principal, svc: c.services.webhooks };
}

type FilterArg = {
  brand?: string | null;
  ownership?: string | null;
  hechsher?: string | null;
  search?: string | null;
  minDigits?: number | null;
  hasFront?: boolean | null;
  kosherForPassover?: boolean | null;
};

/** GraphQL input -> the REST body's filter (validated by the service like every other input). */
function restFilter(f: FilterArg | null | undefined): Record<string, unknown> | null {
  if (!f) return null;
  const out: Record<string, unknown> = {
    brand: f.brand,
    ownership: f.ownership,
    hechsher: f.hechsher,
    search: f.search,
    min_digits: f.minDigits,
    has_front: f.hasFront,
    kosher_for_passover: f.kosherForPassover,
  };
  for (const k of Object.keys(out)) if (out[k] === null || out[k] === undefined) delete out[k];
  return out;
}

export function webhooksGraphql(builder: Builder) {
  const WebhookEventEnum = builder.enumType('WebhookEventType', {
    description: 'Catalog changes a webhook can subscribe to (the REST names are product.created, …).',
    values: {
      PRODUCT_CREATED: { value: 'product.created' },
      PRODUCT_UPDATED: { value: 'product.updated', description: 'Product fields changed (names in changed_fields).' },
      PRODUCT_IMAGE_ADDED: { value: 'product.image_added' },
      PRODUCT_IMAGE_REPLACED: { value: 'product.image_replaced' },
      PRODUCT_IMAGE_REMOVED: { value: 'product.image_removed' },
    } as const,
  });

  const DeliveryStatusEnum = builder.enumType('WebhookDeliveryStatus', {
    values: { PENDING: { value: 'pending' }, DELIVERED: { value: 'delivered' }, FAILED: { value: 'failed' } } as const,
  });

  const VerificationEnum = builder.enumType('WebhookVerification', {
    description:
      'Whether the endpoint proved it wants the events: it must echo the challenge of a signed ' +
      'webhook.verification event. Nothing is delivered before VERIFIED.',
    values: {
      PENDING: { value: 'pending', description: 'Not verified yet (new, re-pointed, or the attempt was skipped).' },
      VERIFIED: { value: 'verified', description: 'The endpoint echoed the challenge; events are delivered.' },
      FAILED: { value: 'failed', description: 'The last attempt failed (see verificationError); verify again.' },
    } as const,
  });

  const WebhookFilterType = builder.objectRef<WebhookFilter>('WebhookFilter').implement({
    description: "Listing filters that narrow a subscription; the API client's scope always applies as well.",
    fields: (t) => ({
      brand: t.string({ nullable: true, resolve: (f) => f.brand ?? null }),
      ownership: t.string({ nullable: true, resolve: (f) => f.ownership ?? null }),
      hechsher: t.string({ nullable: true, resolve: (f) => f.hechsher ?? null }),
      search: t.string({ nullable: true, resolve: (f) => f.search ?? null }),
      minDigits: t.int({ nullable: true, resolve: (f) => f.min_digits ?? null }),
      hasFront: t.boolean({ nullable: true, resolve: (f) => f.has_front ?? null }),
      kosherForPassover: t.boolean({ nullable: true, resolve: (f) => f.kosher_for_passover ?? null }),
    }),
  });

  const WebhookFilterInput = builder.inputType('WebhookFilterInput', {
    fields: (t) => ({
      brand: t.string(),
      ownership: t.string(),
      hechsher: t.string(),
      search: t.string(),
      minDigits: t.int(),
      hasFront: t.boolean(),
      kosherForPassover: t.boolean(),
    }),
  });

  const DeliveryType = builder.objectRef<DeliveryView>('WebhookDelivery').implement({
    description: 'One delivery of an event to a webhook, with its last attempt.',
    fields: (t) => ({
      deliveryId: t.exposeString('delivery_id'),
      messageId: t.string({
        description: 'The webhook-id header (the same on every retry and replay).',
        resolve: (d) => d.message_id,
      }),
      event: t.string({ description: 'The event type, or webhook.test for a ping.', resolve: (d) => d.event }),
      barcode: t.string({ nullable: true, resolve: (d) => d.barcode }),
      kind: t.string({ description: 'live, replay or test.', resolve: (d) => d.kind }),
      status: t.field({ type: DeliveryStatusEnum, resolve: (d) => d.status }),
      attempts: t.int({ resolve: (d) => d.attempts }),
      lastStatusCode: t.int({ nullable: true, resolve: (d) => d.last_status_code }),
      lastError: t.string({ nullable: true, resolve: (d) => d.last_error }),
      latencyMs: t.int({ nullable: true, resolve: (d) => d.latency_ms }),
      responseExcerpt: t.string({ nullable: true, description: 'At most 1 KB.', resolve: (d) => d.response_excerpt }),
      nextAttemptAt: t.field({ type: 'DateTime', nullable: true, resolve: (d) => d.next_attempt_at }),
      createdAt: t.field({ type: 'DateTime', resolve: (d) => d.created_at }),
      lastAttemptAt: t.field({ type: 'DateTime', nullable: true, resolve: (d) => d.last_attempt_at }),
      completedAt: t.field({ type: 'DateTime', nullable: true, resolve: (d) => d.completed_at }),
    }),
  });

  const WebhookType = builder.objectRef<WebhookView>('Webhook').implement({
    description: 'A subscription of this API client to catalog changes (REST: /api/v1/webhooks). Free.',
    fields: (t) => ({
      id: t.exposeID('id'),
      url: t.exposeString('url'),
      events: t.field({ type: [WebhookEventEnum], resolve: (w) => w.events as WebhookEvent[] }),
      filter: t.field({ type: WebhookFilterType, resolve: (w) => w.filter }),
      enabled: t.exposeBoolean('enabled'),
      disabledReason: t.string({ nullable: true, resolve: (w) => w.disabled_reason }),
      disabledAt: t.field({ type: 'DateTime', nullable: true, resolve: (w) => w.disabled_at }),
      failingSince: t.field({ type: 'DateTime', nullable: true, resolve: (w) => w.failing_since }),
      verification: t.field({ type: VerificationEnum, resolve: (w) => w.verification }),
      verifiedAt: t.field({ type: 'DateTime', nullable: true, resolve: (w) => w.verified_at }),
      verificationError: t.string({ nullable: true, resolve: (w) => w.verification_error }),
      createdAt: t.field({ type: 'DateTime', resolve: (w) => w.created_at }),
      updatedAt: t.field({ type: 'DateTime', resolve: (w) => w.updated_at }),
      deliveries: t.field({
        type: [DeliveryType],
        description: 'The last deliveries, newest first.',
        args: {
          limit: t.arg.int({ required: false, description: '1 to 100, default 50.' }),
          status: t.arg({ type: DeliveryStatusEnum, required: false }),
        },
        resolve: (w, args, c) => {
          const { p, svc } = who(c);
          return svc.deliveries(p, w.id, { limit: args.limit ?? undefined, status: args.status ?? undefined });
        },
      }),
    }),
  });

  const CreatedWebhookType = builder.objectRef<{ webhook: WebhookView; secret: string }>('CreatedWebhook').implement({
    fields: (t) => ({
      webhook: t.field({ type: WebhookType, resolve: (r) => r.webhook }),
      secret: t.string({
        description: 'whsec_…: verifies the webhook-signature of deliveries. Shown only here: store it safely.',
        resolve: (r) => r.secret,
      }),
    }),
  });

  const ReplayType = builder.objectRef<ReplayOutcome>('WebhookReplay').implement({
    fields: (t) => ({
      queued: t.int({ resolve: (r) => r.queued }),
      since: t.field({ type: 'DateTime', resolve: (r) => r.since }),
      until: t.field({ type: 'DateTime', resolve: (r) => r.until }),
      nextSince: t.field({
        type: 'DateTime',
        nullable: true,
        description: 'Set when the range held more than 10,000 events.',
        resolve: (r) => r.next_since,
      }),
    }),
  });

  const CreateWebhookInput = builder.inputType('CreateWebhookInput', {
    fields: (t) => ({
      url: t.string({ required: true }),
      events: t.field({ type: [WebhookEventEnum], required: true }),
      filter: t.field({ type: WebhookFilterInput }),
    }),
  });

  const UpdateWebhookInput = builder.inputType('UpdateWebhookInput', {
    fields: (t) => ({
      url: t.string(),
      events: t.field({ type: [WebhookEventEnum] }),
      filter: t.field({ type: WebhookFilterInput, description: 'null clears the filter.' }),
      enabled: t.boolean(),
    }),
  });

  builder.queryFields((t) => ({
    webhooks: t.field({
      // Free, but account data: a valid token is needed (docs/graphql-limits.md#billing-rules).
      extensions: free({ token: true }),
      type: [WebhookType],
      description: "This API client's webhook subscriptions (free).",
      resolve: (_r, _a, c) => {
        const { p, svc } = who(c);
        return svc.list(p);
      },
    }),
    webhook: t.field({
      // Free, but account data: a valid token is needed (docs/graphql-limits.md#billing-rules).
      extensions: free({ token: true }),
      type: WebhookType,
      nullable: true,
      args: { id: t.arg.id({ required: true }) },
      resolve: async (_r, args, c) => {
        const { p, svc } = who(c);
        try {
          return await svc.get(p, String(args.id));
        } catch (e) {
          if (e instanceof AppError && e.code === 'not_found') return null;
          throw e;
        }
      },
    }),
  }));

  builder.mutationFields((t) => ({
    createWebhook: t.field({
      // Free, but account data: a valid token is needed (docs/graphql-limits.md#billing-rules).
      extensions: free({ token: true }),
      type: CreatedWebhookType,
      description: 'Subscribes an endpoint to catalog changes (at most 10 per API client). The secret is shown once.',
      args: { input: t.arg({ type: CreateWebhookInput, required: true }) },
      resolve: (_r, { input }, c) => {
        const { p, svc } = who(c);
        const body: Record<string, unknown> = { url: input.url, events: input.events };
        if (input.filter !== undefined) body.filter = restFilter(input.filter);
        return svc.create(p, body);
      },
    }),
    updateWebhook: t.field({
      // Free, but account data: a valid token is needed (docs/graphql-limits.md#billing-rules).
      extensions: free({ token: true }),
      type: WebhookType,
      args: { id: t.arg.id({ required: true }), input: t.arg({ type: UpdateWebhookInput, required: true }) },
      resolve: (_r, { id, input }, c) => {
        const { p, svc } = who(c);
        const body: Record<string, unknown> = {};
        if (input.url != null) body.url = input.url;
        if (input.events != null) body.events = input.events;
        if (input.filter !== undefined) body.filter = restFilter(input.filter);
        if (input.enabled != null) body.enabled = input.enabled;
        return svc.update(p, String(id), body);
      },
    }),
    deleteWebhook: t.field({
      // Free, but account data: a valid token is needed (docs/graphql-limits.md#billing-rules).
      extensions: free({ token: true }),
      type: 'ID',
      description: 'Deletes a subscription and its pending deliveries; returns its id.',
      args: { id: t.arg.id({ required: true }) },
      resolve: async (_r, { id }, c) => {
        const { p, svc } = who(c);
        await svc.remove(p, String(id));
        return String(id);
      },
    }),
    verifyWebhook: t.field({
      // Free, but account data: a valid token is needed (docs/graphql-limits.md#billing-rules).
      extensions: free({ token: true }),
      type: WebhookType,
      description:
        'Sends a signed webhook.verification event with a fresh challenge to the endpoint; the endpoint must ' +
        'answer 2xx with {"challenge": "<challenge>"}. Rate-limited with test pings.',
      args: { id: t.arg.id({ required: true }) },
      resolve: (_r, { id }, c) => {
        const { p, svc } = who(c);
        return svc.verify(p, String(id));
      },
    }),
    testWebhook: t.field({
      // Free, but account data: a valid token is needed (docs/graphql-limits.md#billing-rules).
      extensions: free({ token: true }),
      type: DeliveryType,
      description: "Sends a signed webhook.test ping now and reports the receiver's answer.",
      args: { id: t.arg.id({ required: true }) },
      resolve: (_r, { id }, c) => {
        const { p, svc } = who(c);
        return svc.test(p, String(id));
      },
    }),
    replayWebhook: t.field({
      // Free, but account data: a valid token is needed (docs/graphql-limits.md#billing-rules).
      extensions: free({ token: true }),
      type: ReplayType,
      description: 'Sends again every kept event of [since, until) that the subscription wants.',
      args: {
        id: t.arg.id({ required: true }),
        since: t.arg({ type: 'DateTime', required: true }),
        until: t.arg({ type: 'DateTime' }),
      },
      resolve: (_r, { id, since, until }, c) => {
        const { p, svc } = who(c);
        return svc.replay(p, String(id), {
          since: since.toISOString(),
          ...(until ? { until: until.toISOString() } : {}),
        });
      },
    }),
  }));
}
