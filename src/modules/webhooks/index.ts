// The webhooks module (docs/webhooks.md): subscriptions over REST, GraphQL, the admin API and CLI, the outbox the
// database triggers fill, and this node's dispatcher, which close() stops.

import type { Logger } from '../../kernel/logger.ts';
import type { Sql } from '../../platform/db/client.ts';
import type { Route } from '../../platform/http/router.ts';
import type { Metrics } from '../../platform/metrics/metrics.ts';
import type { Module } from '../../platform/module.ts';
import type { SharedState } from '../../platform/shared-state/shared-state.ts';
import { adminWebhookRoutes } from './admin-webhooks.routes.ts';
import { type DispatcherCounters, WebhookDispatcher } from './webhook-dispatcher.ts';
import { WebhookLimits } from './webhook-limits.ts';
import { SecretBox } from './webhook-signer.ts';
import { type Resolver, WebhookPoster } from './webhook-target.ts';
import { verifyEndpoint } from './webhook-verifier.ts';
import type { WebhooksConfig } from './webhooks.config.ts';
import { webhookRoutes } from './webhooks.routes.ts';
import { WebhookService } from './webhooks.service.ts';

export { webhooksCli } from './webhooks.cli.ts';
export { type WebhooksConfig, webhooksConfig } from './webhooks.config.ts';
export { webhooksGraphql } from './webhooks.graphql.ts';

export interface WebhooksModule extends Module {
  service: WebhookService;
  dispatcher: WebhookDispatcher;
  routes: Route[];
  adminRoutes: Route[];
  nodeCounters: () => DispatcherCounters;
  close(): Promise<void>;
}

export function createWebhooksModule(deps: {
  config: WebhooksConfig;
  sql: Sql;
  log: Logger;
  metrics: Metrics;
  state: SharedState;
  resolve?: Resolver;
}): WebhooksModule {
  const { config, sql, log } = deps;
  const policy = { allowLocal: config.allowLocal, extraPorts: config.extraPorts };
  const box = new SecretBox(config.secretKeys);
  const poster = new WebhookPoster({ ...policy, timeoutMs: config.timeoutMs });
  const dispatcher = new WebhookDispatcher({
    sql,
    box,
    log: log.child({ component: 'webhooks' }),
    poster,
    options: {
      pollMs: config.pollMs,
      concurrency: config.concurrency,
      timeoutMs: config.timeoutMs,
      retryBaseMs: config.retryBaseMs,
      retryMaxMs: config.retryMaxMs,
      giveUpSec: config.giveUpSec,
      retentionDays: config.retentionDays,
    },
  });
  const service = new WebhookService({
    sql,
    box,
    policy,
    retentionDays: config.retentionDays,
    resolve: deps.resolve,
    attemptNow: (id) => dispatcher.deliverNow(id),
    verify: (url, secret, id) => verifyEndpoint(poster, url, secret, id),
    limits: new WebhookLimits(deps.state, config),
    maxOutstanding: config.maxOutstanding,
    secretOverlapSec: config.secretOverlapSec,
  });
  if (config.dispatcher) dispatcher.start();
  const nodeCounters = () => ({ ...dispatcher.counters });
  deps.metrics.sampled(
    'kc_webhook_node_deliveries',
    'Webhook attempts of this node since start, by outcome',
    'outcome',
    'sum',
    async () => {
      const c = nodeCounters();
      return { claimed: c.claimed, delivered: c.delivered, retried: c.retried, failed: c.failed, disabled: c.disabled };
    },
  );
  deps.metrics.sampled(
    'kc_webhook_deliveries',
    'Webhook deliveries in the kept log (all nodes), by state',
    'state',
    'first',
    async () => {
      const s = await service.stats();
      return { queued: s.queued, retrying: s.retrying, delivered: s.delivered, failed: s.failed };
    },
  );
  return {
    name: 'webhooks',
    service,
    dispatcher,
    routes: webhookRoutes(service),
    adminRoutes: adminWebhookRoutes(service, nodeCounters),
    graphqlServices: { webhooks: service },
    nodeCounters,
    close: () => dispatcher.stop(),
  };
}
