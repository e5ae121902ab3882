// /admin/v1/webhooks (docs/webhooks.md#operators): every client's subscriptions, their delivery logs, the
// cluster-wide delivery counters, and disabling or re-enabling a subscription.
import { z } from 'zod';
import { AppError } from '../../kernel/errors.ts';
import { parseInput } from '../../kernel/parse-input.ts';
import { readJson } from '../../platform/http/body.ts';
import type { Route } from '../../platform/http/router.ts';
import type { DispatcherCounters } from './webhook-dispatcher.ts';
import type { WebhookService } from './webhooks.service.ts';

const disableInput = z.strictObject({ reason: z.string().trim().min(1).max(500).optional() });

async function optionalJson(raw: Parameters<typeof readJson>[0]): Promise<unknown> {
  const len = Number(raw.headers['content-length'] ?? 0);
  if (!len && !raw.headers['transfer-encoding']) return {};
  return readJson(raw);
}

export function adminWebhookRoutes(webhooks: WebhookService, nodeCounters: () => DispatcherCounters): Route[] {
  return [
    {
      method: 'GET',
      path: '/admin/v1/webhooks',
      access: 'admin',
      query: { client_id: 'one', enabled: 'one' },
      async handler({ query }) {
        for (const k of query.keys()) {
          if (!['client_id', 'enabled'].includes(k))
            throw new AppError('bad_request', `Unknown query parameter \`${k}\`.`);
        }
        const enabled = query.get('enabled');
        if (enabled !== null && enabled !== 'true' && enabled !== 'false') {
          throw new AppError('bad_request', 'Invalid `enabled`: expected true or false.');
        }
        const list = await webhooks.adminList({
          clientId: query.get('client_id') ?? undefined,
          enabled: enabled === null ? undefined : enabled === 'true',
        });
        return { status: 200, json: { webhooks: list } };
      },
    },
    {
      method: 'GET',
      path: '/admin/v1/webhooks/stats',
      access: 'admin',
      async handler() {
        return { status: 200, json: { ...(await webhooks.stats()), node: nodeCounters() } };
      },
    },
    {
      method: 'GET',
      path: '/admin/v1/webhooks/:id',
      access: 'admin',
      async handler({ params }) {
        return { status: 200, json: { ...(await webhooks.adminGet(params.id)) } };
      },
    },
    {
      method: 'POST',
      path: '/admin/v1/webhooks/:id/disable',
      access: 'admin',
      async handler({ raw, params, ctx }) {
        const { reason } = parseInput(disableInput, await optionalJson(raw));
        const view = await webhooks.adminSetEnabled(params.id, false, reason ?? 'Disabled by the operator.');
        ctx.log.info({ webhook_id: params.id }, 'webhook disabled by the operator');
        return { status: 200, json: { ...view } };
      },
    },
    {
      method: 'POST',
      path: '/admin/v1/webhooks/:id/enable',
      access: 'admin',
      async handler({ params }) {
        return { status: 200, json: { ...(await webhooks.adminSetEnabled(params.id, true)) } };
      },
    },
    {
      method: 'GET',
      path: '/admin/v1/webhooks/:id/deliveries',
      access: 'admin',
      query: { limit: 'one', status: 'one' },
      async handler({ params, query }) {
        return { status: 200, json: { deliveries: await webhooks.adminDeliveries(params.id, query) } };
      },
    },
  ];
}
