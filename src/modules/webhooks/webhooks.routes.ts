// /api/v1/webhooks (docs/webhooks.md#subscriptions): a client's own subscriptions. Free, authenticated and
// rate-limited like every client route; another client's webhook id is simply not found.

import { AppError } from '../../kernel/errors.ts';
import type { Principal } from '../../kernel/principal.ts';
import type { RequestContext } from '../../kernel/request-context.ts';
import { asObject, readJson } from '../../platform/http/body.ts';
import { metaBlock } from '../../platform/http/respond.ts';
import type { Route } from '../../platform/http/router.ts';
import type { WebhookService } from './webhooks.service.ts';

/** The gate authenticated every `client` route before its handler runs. */
function who(ctx: RequestContext): Principal {
  if (!ctx.principal) throw new AppError('unauthenticated', 'Send a bearer access token.');
  return ctx.principal;
}

export function webhookRoutes(webhooks: WebhookService): Route[] {
  const noStore = { 'Cache-Control': 'no-store' };
  return [
    {
      method: 'POST',
      path: '/api/v1/webhooks',
      access: 'client',
      async handler({ raw, ctx }) {
        const { webhook, secret } = await webhooks.create(who(ctx), asObject(await readJson(raw)));
        ctx.log.info({ webhook_id: webhook.id }, 'webhook created');
        return {
          status: 201,
          headers: { ...noStore, Location: `/api/v1/webhooks/${webhook.id}` },
          json: { ...webhook, secret, meta: metaBlock(ctx) },
        };
      },
    },
    {
      method: 'GET',
      path: '/api/v1/webhooks',
      access: 'client',
      async handler({ ctx }) {
        return {
          status: 200,
          headers: noStore,
          json: { webhooks: await webhooks.list(who(ctx)), meta: metaBlock(ctx) },
        };
      },
    },
    {
      method: 'GET',
      path: '/api/v1/webhooks/:id',
      access: 'client',
      async handler({ params, ctx }) {
        return {
          status: 200,
          headers: noStore,
          json: { ...(await webhooks.get(who(ctx), params.id)), meta: metaBlock(ctx) },
        };
      },
    },
    {
      method: 'PATCH',
      path: '/api/v1/webhooks/:id',
      access: 'client',
      async handler({ raw, params, ctx }) {
        const view = await webhooks.update(who(ctx), params.id, asObject(await readJson(raw)));
        return { status: 200, headers: noStore, json: { ...view, meta: metaBlock(ctx) } };
      },
    },
    {
      method: 'DELETE',
      path: '/api/v1/webhooks/:id',
      access: 'client',
      async handler({ params, ctx }) {
        await webhooks.remove(who(ctx), params.id);
        return { status: 204 };
      },
    },
    {
      method: 'POST',
      path: '/api/v1/webhooks/:id/verify',
      access: 'client',
      async handler({ params, ctx }) {
        const view = await webhooks.verify(who(ctx), params.id);
        return { status: 200, headers: noStore, json: { ...view, meta: metaBlock(ctx) } };
      },
    },
    {
      method: 'POST',
      path: '/api/v1/webhooks/:id/test',
      access: 'client',
      async handler({ params, ctx }) {
        const delivery = await webhooks.test(who(ctx), params.id);
        return { status: 200, headers: noStore, json: { delivery, meta: metaBlock(ctx) } };
      },
    },
    {
      method: 'POST',
      path: '/api/v1/webhooks/:id/replay',
      access: 'client',
      async handler({ raw, params, ctx }) {
        const r = await webhooks.replay(who(ctx), params.id, asObject(await readJson(raw)));
        return { status: 202, headers: noStore, json: { ...r, meta: metaBlock(ctx) } };
      },
    },
    {
      method: 'GET',
      path: '/api/v1/webhooks/:id/deliveries',
      access: 'client',
      query: { limit: 'one', status: 'one' },
      async handler({ params, query, ctx }) {
        const deliveries = await webhooks.deliveries(who(ctx), params.id, query);
        return { status: 200, headers: noStore, json: { deliveries, meta: metaBlock(ctx) } };
      },
    },
  ];
}
