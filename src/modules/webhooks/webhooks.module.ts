// Builds the webhooks feature from the configuration (docs/webhooks.md): the client routes, the service the
// doors share (REST, GraphQL, admin API and CLI), and this node's dispatcher, which close() stops.
import type { Config } from '../../main/config.ts';
import type { Sql } from '../../platform/db/client.ts';
import type { Logger } from '../../kernel/logger.ts';
import type { Route } from '../../platform/http/router.ts';
import { SecretBox } from './webhook-signer.ts';
import { WebhookPoster, type Resolver } from './webhook-target.ts';
import { WebhookDispatcher, type DispatcherCounters } from './webhook-dispatcher.ts';
import { WebhookService } from './webhooks.service.ts';
import { webhookRoutes } from './webhooks.routes.ts';

export interface WebhooksModule {
  service: WebhookService;
  dispatcher: WebhookDispatcher;
  routes: Route[];
  nodeCounters: () => DispatcherCounters;
  close(): Promise<void>;
}

export function createWebhooksModule(deps: {
  config: Config;
  sql: Sql;
  log: Logger;
  resolve?: Resolver;
}): WebhooksModule {
  const { config, sql, log } = deps;
  const policy = { allowLocal: config.WEBHOOKS_ALLOW_LOCAL };
  const box = new SecretBox(config.WEBHOOK_SECRET_KEYS);
  const dispatcher = new WebhookDispatcher({
    sql,
    box,
    log: log.child({ component: 'webhooks' }),
    poster: new WebhookPoster({ ...policy, timeoutMs: config.WEBHOOKS_TIMEOUT_MS }),
    options: {
      pollMs: config.WEBHOOKS_POLL_MS,
      concurrency: config.WEBHOOKS_CONCURRENCY,
      timeoutMs: config.WEBHOOKS_TIMEOUT_MS,
      retryBaseMs: config.WEBHOOKS_RETRY_BASE_MS,
      retryMaxMs: config.WEBHOOKS_RETRY_MAX_MS,
      giveUpSec: config.WEBHOOKS_GIVE_UP_SEC,
      retentionDays: config.WEBHOOKS_RETENTION_DAYS,
    },
  });
  const service = new WebhookService({
    sql,
    box,
    policy,
    retentionDays: config.WEBHOOKS_RETENTION_DAYS,
    resolve: deps.resolve,
    attemptNow: (id) => dispatcher.deliverNow(id),
  });
  if (config.WEBHOOKS_DISPATCHER) dispatcher.start();
  return {
    service,
    dispatcher,
    routes: webhookRoutes(service),
    nodeCounters: () => ({ ...dispatcher.counters }),
    close: () => dispatcher.stop(),
  };
}
