// The webhook commands of the admin CLI (docs/webhooks.md#operators), over the service the admin API uses; no
// dispatcher runs here.
import { AppError } from '../../kernel/errors.ts';
import { type CliCommand, type CliRun, cliRequired, cliString } from '../../platform/cli/cli-command.ts';
import { SecretBox } from './webhook-signer.ts';
import type { WebhooksConfig } from './webhooks.config.ts';
import { WebhookService } from './webhooks.service.ts';

/** Client actions (pings, verifications, replays) go through the API, where they are rate-limited. */
const cliRefuses = async (): Promise<never> => {
  throw new AppError('bad_request', 'pings, verifications and replays are sent by the API, not the CLI');
};

export function webhooksCli(config: WebhooksConfig): CliCommand[] {
  const service = (r: CliRun) =>
    new WebhookService({
      sql: r.sql,
      box: new SecretBox(config.secretKeys),
      policy: { allowLocal: config.allowLocal, extraPorts: config.extraPorts },
      retentionDays: config.retentionDays,
      attemptNow: cliRefuses,
      verify: cliRefuses,
      limits: { ping: cliRefuses, replay: cliRefuses },
      maxOutstanding: config.maxOutstanding,
      secretOverlapSec: config.secretOverlapSec,
    });
  const webhook = { webhook: { type: 'string' } } as const;
  return [
    {
      name: 'webhooks',
      usage: "  webhooks        [--client <id>] [--enabled true|false]     (every client's webhook subscriptions)",
      options: { client: { type: 'string' }, enabled: { type: 'string' } },
      run: async (r) => {
        const enabled = cliString(r.values.enabled);
        if (enabled !== undefined && enabled !== 'true' && enabled !== 'false')
          throw new AppError('bad_request', '--enabled must be true or false');
        return service(r).adminList({
          clientId: cliString(r.values.client),
          enabled: enabled === undefined ? undefined : enabled === 'true',
        });
      },
    },
    {
      name: 'webhook',
      usage:
        '  webhook         --webhook <id>                             (one subscription with its delivery counters)',
      options: webhook,
      run: async (r) => service(r).adminGet(cliRequired(r.values.webhook, 'webhook')),
    },
    {
      name: 'webhook-deliveries',
      usage: '  webhook-deliveries --webhook <id> [--limit <1-100>] [--status pending|delivered|failed]',
      options: { ...webhook, limit: { type: 'string' }, status: { type: 'string' } },
      run: async (r) => {
        const limit = cliString(r.values.limit);
        return service(r).adminDeliveries(cliRequired(r.values.webhook, 'webhook'), {
          limit: limit === undefined ? undefined : Number(limit),
          status: cliString(r.values.status),
        });
      },
    },
    {
      name: 'disable-webhook',
      usage: '  disable-webhook --webhook <id> [--reason <text>]',
      options: { ...webhook, reason: { type: 'string' } },
      run: async (r) =>
        service(r).adminSetEnabled(
          cliRequired(r.values.webhook, 'webhook'),
          false,
          cliString(r.values.reason) ?? 'Disabled by the operator.',
        ),
    },
    {
      name: 'enable-webhook',
      usage: '  enable-webhook  --webhook <id>',
      options: webhook,
      run: async (r) => service(r).adminSetEnabled(cliRequired(r.values.webhook, 'webhook'), true),
    },
    {
      name: 'webhook-stats',
      usage:
        '  webhook-stats                                              (queued, retrying, delivered, failed, retries)',
      run: async (r) => service(r).stats(),
    },
  ];
}
