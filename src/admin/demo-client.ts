// Start-up step for `npm start` on an empty machine: with no account at all, create a "Demo" account with
// 100 credits and a standard client, and hand back its credentials (printed once by src/demo.ts).
import type { Config } from '../config.ts';
import type { Sql } from '../db/client.ts';
import type { Logger } from '../kernel/logger.ts';
import { AccountsService } from '../accounts/accounts.service.ts';
import { ClientsService } from '../accounts/clients.service.ts';
import { UNITS_PER_CREDIT } from '../kernel/credits.ts';

export async function ensureDemoClient(infra: {
  sql: Sql;
  config: Pick<Config, 'API_KEY_OVERLAP_SEC'>;
  log: Logger;
}): Promise<{ clientId: string; apiKey: string } | null> {
  const accounts = new AccountsService(infra.sql);
  if (await accounts.hasAnyAccount()) return null;
  const account = await accounts.createAccount({ name: 'Demo', credits: 100n * UNITS_PER_CREDIT });
  const clients = new ClientsService(infra.sql, { keyOverlapSec: infra.config.API_KEY_OVERLAP_SEC });
  const { client, apiKey } = await clients.createClient(account.accountId, { name: 'Demo client', tier: 'standard' });
  infra.log.info({ account_id: account.accountId, client_id: client.clientId }, 'demo account and client created');
  return { clientId: client.clientId, apiKey };
}
