// The accounts commands of the admin CLI (docs/admin.md#cli), over the services the admin API uses. An API key is
// printed once, by create-client and rotate-key, and never again.
import { credits } from '../../kernel/credits.ts';
import { AppError } from '../../kernel/errors.ts';
import { parseIdempotencyKey, parseInput } from '../../kernel/parse-input.ts';
import {
  type CliCommand,
  type CliRun,
  cliList,
  cliNumber,
  cliRequired,
  cliString,
} from '../../platform/cli/cli-command.ts';
import type { Sql } from '../../platform/db/client.ts';
import { createAccountInput, createClientInput, grantCreditsInput, updateClientInput } from './accounts.input.ts';
import { AccountsService } from './accounts.service.ts';
import { sessionsEndedView } from './admin-sessions.routes.ts';
import { ClientsService, clientView } from './clients.service.ts';

export interface AccountsCliDeps {
  keyOverlapSec: number;
  /** Problems with scope brands that match no catalog brand (docs/operations.md#scoped-clients). */
  brandWarnings(sql: Sql, brands: string[] | undefined): Promise<string[]>;
  /** Publishes ended sessions to the servers' shared state (the durable mark is already committed). */
  sessionsEnded(r: CliRun, clientId: string, atMs: number): Promise<void>;
}

type V = CliRun['values'];

/** Flags -> the same input object the admin API takes (then validated by the same schema). */
function clientFields(v: V) {
  const s = (k: string) => cliString(v[k]);
  const o: Record<string, unknown> = {};
  if (s('name') !== undefined) o.name = s('name');
  if (s('tier') !== undefined) o.tier = s('tier');
  if (s('mode') !== undefined) o.mode = s('mode');
  if (s('ip') !== undefined) o.ip_allowlist = cliList(s('ip'));
  if (s('brands') !== undefined || s('ownerships') !== undefined) {
    o.scope = {
      ...(s('brands') !== undefined ? { brands: cliList(s('brands')) } : {}),
      ...(s('ownerships') !== undefined ? { ownerships: cliList(s('ownerships')) } : {}),
    };
  }
  if (s('expires-at') !== undefined) o.expires_at = s('expires-at') === 'none' ? null : s('expires-at');
  if (s('per-minute') !== undefined || s('per-day') !== undefined) {
    o.limits = {
      ...(s('per-minute') !== undefined ? { per_minute: cliNumber(s('per-minute')) } : {}),
      ...(s('per-day') !== undefined ? { per_day: cliNumber(s('per-day')) } : {}),
    };
  }
  const enabled = s('enabled');
  if (enabled !== undefined) o.enabled = enabled === 'true' ? true : enabled === 'false' ? false : enabled;
  return o;
}

const account = (a: { accountId: string; name: string; balance: bigint; createdAt: Date }) => ({
  account_id: a.accountId,
  name: a.name,
  credits_remaining: credits(a.balance),
  created_at: a.createdAt.toISOString(),
});

const CLIENT_OPTIONS = {
  name: { type: 'string' },
  tier: { type: 'string' },
  ip: { type: 'string' },
  brands: { type: 'string' },
  ownerships: { type: 'string' },
  'expires-at': { type: 'string' },
  'per-minute': { type: 'string' },
  'per-day': { type: 'string' },
  enabled: { type: 'string' },
  'allow-unknown-brands': { type: 'boolean' },
} as const;

export function accountsCli(deps: AccountsCliDeps): CliCommand[] {
  const services = (r: CliRun) => ({
    accounts: new AccountsService(r.sql),
    clients: new ClientsService(r.sql, {
      keyOverlapSec: deps.keyOverlapSec,
      onSessionsEnded: (clientId, atMs) => deps.sessionsEnded(r, clientId, atMs),
    }),
  });
  /** --brands must name brands of the catalog, unless --allow-unknown-brands. */
  async function refuseUnknownBrands(r: CliRun): Promise<void> {
    const problems = await deps.brandWarnings(r.sql, cliList(cliString(r.values.brands)));
    if (problems.length === 0) return;
    if (r.values['allow-unknown-brands']) {
      for (const p of problems) process.stderr.write(`warning: ${p}\n`);
      return;
    }
    throw new AppError('bad_request', `${problems.join('; ')}. Pass --allow-unknown-brands to set it anyway.`);
  }
  const toggle = (name: 'disable-client' | 'enable-client', usage: string): CliCommand => ({
    name,
    usage,
    options: { client: { type: 'string' } },
    run: async (r) =>
      clientView(
        await services(r).clients.updateClient(cliRequired(r.values.client, 'client'), {
          enabled: name === 'enable-client',
        }),
      ),
  });
  return [
    {
      name: 'create-account',
      usage: '  create-account  --name <name> [--credits <n>]            (default: 10 welcome credits)',
      options: { name: { type: 'string' }, credits: { type: 'string', multiple: true } },
      run: async (r) => {
        const c = r.values.credits as string[] | undefined;
        const input = parseInput(createAccountInput, { name: r.values.name, ...(c ? { credits: c[0] } : {}) });
        return account(await services(r).accounts.createAccount(input));
      },
    },
    {
      name: 'create-client',
      usage: [
        '  create-client   --account <id> --name <name> --tier free|standard|enterprise [--mode live|test]',
        '                  [--ip <cidr,cidr>] [--brands <a,b>] [--ownerships <a,b>] [--expires-at <ISO>]',
        '                  [--per-minute <n>] [--per-day <n>]          (prints the api_key once)',
        '                  --brands must equal catalog brands, ignoring case ("Osem אסם", not "Osem");',
        '                  unknown ones are refused unless --allow-unknown-brands',
      ].join('\n'),
      options: { account: { type: 'string' }, mode: { type: 'string' }, ...CLIENT_OPTIONS },
      run: async (r) => {
        await refuseUnknownBrands(r);
        const accountId = cliRequired(r.values.account, 'account');
        const c = await services(r).clients.createClient(
          accountId,
          parseInput(createClientInput, clientFields(r.values)),
        );
        return { ...clientView(c.client), api_key: c.apiKey, note: 'The api_key is shown only now. Store it safely.' };
      },
    },
    {
      name: 'list-clients',
      usage: '  list-clients    --account <id>',
      options: { account: { type: 'string' } },
      run: async (r) =>
        (await services(r).clients.listClients(cliRequired(r.values.account, 'account'))).map(clientView),
    },
    {
      name: 'show-account',
      usage: '  show-account    --account <id>',
      options: { account: { type: 'string' } },
      run: async (r) => {
        const s = services(r);
        const a = await s.accounts.getAccount(cliRequired(r.values.account, 'account'));
        return { ...account(a), clients: (await s.clients.listClients(a.accountId)).map(clientView) };
      },
    },
    {
      name: 'update-client',
      usage: [
        '  update-client   --client <id> [--enabled true|false] [--tier ..] [--name ..] [--ip ..] [--brands ..]',
        '                  [--ownerships ..] [--expires-at <ISO>|none] [--per-minute <n>|none] [--per-day <n>|none]',
      ].join('\n'),
      options: { client: { type: 'string' }, ...CLIENT_OPTIONS },
      run: async (r) => {
        await refuseUnknownBrands(r);
        const input = parseInput(updateClientInput, clientFields(r.values));
        return clientView(await services(r).clients.updateClient(cliRequired(r.values.client, 'client'), input));
      },
    },
    toggle(
      'disable-client',
      '  disable-client  --client <id>                              (also ends every session of the client)',
    ),
    toggle(
      'enable-client',
      '  enable-client   --client <id>                              (tokens issued before the disable stay dead)',
    ),
    {
      name: 'rotate-key',
      usage: [
        '  rotate-key      --client <id> [--retire-previous-now]      (prints the new api_key once; with the flag the',
        '                                                             old key stops at once and every session ends)',
      ].join('\n'),
      options: { client: { type: 'string' }, 'retire-previous-now': { type: 'boolean' } },
      run: async (r) => {
        const clientId = cliRequired(r.values.client, 'client');
        const retirePreviousNow = r.values['retire-previous-now'] === true;
        const k = await services(r).clients.rotateKey(clientId, { retirePreviousNow });
        return {
          client_id: clientId,
          api_key: k.apiKey,
          previous_key_valid_until: k.previousKeyValidUntil?.toISOString() ?? null,
          ...(k.sessionsEnded ? { sessions_ended_at: k.sessionsEnded.endedAt.toISOString() } : {}),
        };
      },
    },
    {
      name: 'revoke-sessions',
      usage:
        '  revoke-sessions --client <id>                              (ends every access and refresh token of the client)',
      options: { client: { type: 'string' } },
      run: async (r) => {
        const clientId = cliRequired(r.values.client, 'client');
        return sessionsEndedView(clientId, await services(r).clients.revokeSessions(clientId));
      },
    },
    {
      name: 'grant-credits',
      usage: '  grant-credits   --account <id> --amount <n> --reason <text> --idempotency-key <20-255 chars>',
      options: {
        account: { type: 'string' },
        amount: { type: 'string' },
        reason: { type: 'string' },
        'idempotency-key': { type: 'string' },
      },
      run: async (r) => {
        const key = parseIdempotencyKey(cliRequired(r.values['idempotency-key'], 'idempotency-key'), true)!;
        const g = await services(r).accounts.grantCredits(
          cliRequired(r.values.account, 'account'),
          parseInput(grantCreditsInput, { amount: r.values.amount, reason: r.values.reason }),
          key,
        );
        return { account_id: g.accountId, credits_remaining: credits(g.balance), replayed: g.replayed };
      },
    },
  ];
}
