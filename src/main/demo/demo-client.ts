// Start-up step for `npm start` on an empty machine: with no account at all, create a "Demo" account with
// 100 credits and a standard client, and hand back its credentials (printed once by src/main/demo/demo.ts). Later starts
// find it again (findDemoClient) and `npm run admin -- demo-key` gives it a fresh key.

import { UNITS_PER_CREDIT } from '../../kernel/credits.ts';
import { AppError } from '../../kernel/errors.ts';
import type { Logger } from '../../kernel/logger.ts';
import { AccountsService, ClientsService } from '../../modules/accounts/index.ts';
import type { Sql } from '../../platform/db/client.ts';
import type { Config } from '../config.ts';
import { DEMO_ACCOUNT_NAME, DEMO_CLIENT_NAME, findDemoClient } from './demo-client.repository.ts';

export { findDemoClient } from './demo-client.repository.ts';

export async function ensureDemoClient(infra: {
  sql: Sql;
  config: Pick<Config, 'accounts'>;
  log: Logger;
}): Promise<{ clientId: string; apiKey: string } | null> {
  const accounts = new AccountsService(infra.sql);
  if (await accounts.hasAnyAccount()) return null;
  const account = await accounts.createAccount({ name: DEMO_ACCOUNT_NAME, credits: 100n * UNITS_PER_CREDIT });
  const clients = new ClientsService(infra.sql, { keyOverlapSec: infra.config.accounts.keyOverlapSec });
  const { client, apiKey } = await clients.createClient(account.accountId, {
    name: DEMO_CLIENT_NAME,
    tier: 'standard',
  });
  infra.log.info({ account_id: account.accountId, client_id: client.clientId }, 'demo account and client created');
  return { clientId: client.clientId, apiKey };
}

/** `npm run admin -- demo-key`: a new api_key for the demo client (the previous one keeps its overlap window). */
export async function rotateDemoKey(sql: Sql, config: Pick<Config, 'accounts'>) {
  const demo = await findDemoClient(sql);
  if (!demo)
    throw new AppError(
      'not_found',
      'There is no demo client: npm start creates one on an empty database when DEMO_PRODUCTS > 0.',
    );
  const clients = new ClientsService(sql, { keyOverlapSec: config.accounts.keyOverlapSec });
  const r = await clients.rotateKey(demo.client_id);
  return {
    client_id: demo.client_id,
    account_id: demo.account_id,
    api_key: r.apiKey,
    previous_key_valid_until: r.previousKeyValidUntil?.toISOString() ?? null,
    note: 'The api_key is shown only now. Exchange it at POST /api/v1/auth/token.',
  };
}
