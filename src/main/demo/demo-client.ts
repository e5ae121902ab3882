// Start-up step for `npm start` on an empty machine: with no account at all, create a "Demo" account with
// 100 credits and a standard client, and hand back its credentials (printed once by src/main/demo/demo.ts). Later starts
// find it again (findDemoClient) and `npm run admin -- demo-key` gives it a fresh key.

import { UNITS_PER_CREDIT } from '../../kernel/credits.ts';
import { AppError } from '../../kernel/errors.ts';
import type { Logger } from '../../kernel/logger.ts';
import { AccountsService, ClientsService } from '../../modules/accounts/index.ts';
import type { Sql } from '../../platform/db/client.ts';
import type { Config } from '../config.ts';
import {
  DEMO_ACCOUNT_NAME,
  DEMO_CLIENT_NAME,
  DEMO_TEST_CLIENT_NAME,
  findDemoClient,
} from './demo-client.repository.ts';

export { DEMO_TEST_CLIENT_NAME, findDemoClient } from './demo-client.repository.ts';

interface DemoCredentials {
  clientId: string;
  apiKey: string;
}

export async function ensureDemoClient(infra: {
  sql: Sql;
  config: Pick<Config, 'accounts'>;
  log: Logger;
}): Promise<{ live: DemoCredentials; test: DemoCredentials } | null> {
  const accounts = new AccountsService(infra.sql);
  if (await accounts.hasAnyAccount()) return null;
  const account = await accounts.createAccount({ name: DEMO_ACCOUNT_NAME, credits: 100n * UNITS_PER_CREDIT });
  const clients = new ClientsService(infra.sql, { keyOverlapSec: infra.config.accounts.keyOverlapSec });
  const live = await clients.createClient(account.accountId, { name: DEMO_CLIENT_NAME, tier: 'standard' });
  const test = await clients.createClient(account.accountId, {
    name: DEMO_TEST_CLIENT_NAME,
    tier: 'standard',
    mode: 'test',
  });
  infra.log.info(
    { account_id: account.accountId, client_id: live.client.clientId, test_client_id: test.client.clientId },
    'demo account and clients created',
  );
  return {
    live: { clientId: live.client.clientId, apiKey: live.apiKey },
    test: { clientId: test.client.clientId, apiKey: test.apiKey },
  };
}

/** `npm run admin -- demo-key`: a new api_key for the demo client (the previous one keeps its overlap window). */
export async function rotateDemoKey(sql: Sql, config: Pick<Config, 'accounts'>, mode: 'live' | 'test' = 'live') {
  const demo = await findDemoClient(sql, mode === 'test' ? DEMO_TEST_CLIENT_NAME : DEMO_CLIENT_NAME);
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
