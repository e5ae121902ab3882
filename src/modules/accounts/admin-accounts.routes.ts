// Admin API (docs/admin.md) for accounts, API clients, keys and credit grants. Bearer ADMIN_TOKEN (the gate
// checks it for every `access: 'admin'` route); bodies are validated strictly; answers never contain a key
// except the one response that creates it.

import { credits, unitsToString } from '../../kernel/credits.ts';
import { parseIdempotencyKey, parseInput } from '../../kernel/parse-input.ts';
import { readJson } from '../../platform/http/body.ts';
import type { Route } from '../../platform/http/router.ts';
import { createAccountInput, createClientInput, grantCreditsInput, updateClientInput } from './accounts.input.ts';
import type { AccountRow } from './accounts.repository.ts';
import type { AccountsService } from './accounts.service.ts';
import { readRotateKeyOptions } from './admin-sessions.routes.ts';
import { type ClientsService, clientView } from './clients.service.ts';

const NO_STORE = { 'Cache-Control': 'no-store' };

function accountView(a: AccountRow) {
  return {
    account_id: a.accountId,
    name: a.name,
    credits_remaining: credits(a.balance),
    created_at: a.createdAt.toISOString(),
  };
}

export function adminAccountRoutes(deps: {
  accounts: AccountsService;
  clients: ClientsService;
  brandWarnings?: (brands: string[] | null | undefined) => Promise<string[]>;
}): Route[] {
  const { accounts, clients } = deps;
  // A scope brand that matches nothing in the catalog is allowed (the catalog may not have it yet) but said.
  const brandWarnings = async (brands: string[] | null | undefined) => {
    const w = (await deps.brandWarnings?.(brands)) ?? [];
    return w.length ? { warnings: w } : {};
  };
  return [
    {
      method: 'POST',
      path: '/admin/v1/accounts',
      access: 'admin',
      async handler({ raw, ctx }) {
        const input = parseInput(createAccountInput, await readJson(raw));
        const a = await accounts.createAccount(input);
        ctx.log.info({ account_id: a.accountId }, 'account created');
        return { status: 201, json: accountView(a) };
      },
    },
    {
      method: 'GET',
      path: '/admin/v1/accounts/:accountId',
      access: 'admin',
      async handler({ params }) {
        const a = await accounts.getAccount(params.accountId);
        const list = await clients.listClients(a.accountId);
        return { status: 200, json: { ...accountView(a), clients: list.map(clientView) } };
      },
    },
    {
      method: 'POST',
      path: '/admin/v1/accounts/:accountId/clients',
      access: 'admin',
      async handler({ raw, params, ctx }) {
        const input = parseInput(createClientInput, await readJson(raw));
        const { client, apiKey } = await clients.createClient(params.accountId, input);
        ctx.log.info({ account_id: client.accountId, client_id: client.clientId }, 'api client created');
        const warnings = await brandWarnings(input.scope?.brands);
        return { status: 201, headers: NO_STORE, json: { ...clientView(client), api_key: apiKey, ...warnings } };
      },
    },
    {
      method: 'GET',
      path: '/admin/v1/accounts/:accountId/clients',
      access: 'admin',
      async handler({ params }) {
        const list = await clients.listClients(params.accountId);
        return { status: 200, json: { clients: list.map(clientView) } };
      },
    },
    {
      method: 'GET',
      path: '/admin/v1/clients/:clientId',
      access: 'admin',
      async handler({ params }) {
        return { status: 200, json: clientView(await clients.getClient(params.clientId)) };
      },
    },
    {
      method: 'PATCH',
      path: '/admin/v1/clients/:clientId',
      access: 'admin',
      async handler({ raw, params, ctx }) {
        const patch = parseInput(updateClientInput, await readJson(raw));
        const c = await clients.updateClient(params.clientId, patch);
        ctx.log.info({ client_id: c.clientId, fields: Object.keys(patch) }, 'api client updated');
        return { status: 200, json: { ...clientView(c), ...(await brandWarnings(patch.scope?.brands)) } };
      },
    },
    {
      method: 'POST',
      path: '/admin/v1/clients/:clientId/rotate-key',
      access: 'admin',
      async handler({ raw, params, ctx }) {
        const opts = await readRotateKeyOptions(raw);
        const r = await clients.rotateKey(params.clientId, opts);
        ctx.log.info({ client_id: params.clientId, retire_previous_now: opts.retirePreviousNow }, 'api key rotated');
        return {
          status: 200,
          headers: NO_STORE,
          json: {
            client_id: params.clientId,
            api_key: r.apiKey,
            previous_key_valid_until: r.previousKeyValidUntil?.toISOString() ?? null,
            ...(r.sessionsEnded ? { sessions_ended_at: r.sessionsEnded.endedAt.toISOString() } : {}),
          },
        };
      },
    },
    {
      method: 'POST',
      path: '/admin/v1/accounts/:accountId/credits',
      access: 'admin',
      async handler({ raw, params, headers, ctx }) {
        const key = parseIdempotencyKey(headers['idempotency-key'], true)!;
        const input = parseInput(grantCreditsInput, await readJson(raw));
        const r = await accounts.grantCredits(params.accountId, input, key);
        if (!r.replayed)
          ctx.log.info({ account_id: r.accountId, amount: unitsToString(input.amount) }, 'credits granted');
        return {
          status: 200,
          headers: r.replayed
            ? { 'Idempotency-Replayed': '1', 'Idempotent-Replayed': 'true' }
            : ({} as Record<string, string>),
          json: { account_id: r.accountId, credits_remaining: credits(r.balance) },
        };
      },
    },
  ];
}
