// Start-up step for `npm start` on an empty machine: with no account at all, create a "Demo" account with
// 100 credits and a standard client, and hand back its credentials (printed once by src/demo.ts).
import type { Infrastructure } from '../app.ts';
import { AccountsService } from '../accounts/accounts.service.ts';
import { ClientsService } from '../accounts/clients.service.ts';
import { UNITS_PER_CREDIT } from '../billing/credits.ts';

export async function ensureDemoClient(
  infra: Pick<Infrastructure, 'sql' | 'config' | 'log'>,
): Promise<{ clientId: string; apiKey: string } | null> {
  const accounts = new AccountsService(infra.sql);
  if (await accounts.hasAnyAccount()) return null;
  const account = await accounts.createAccount({ name: 'Demo', credits: 100n * UNITS_PER_CREDIT });
  const clients = new ClientsService(infra.sql, { keyOverlapSec: infra.config.API_KEY_OVERLAP_SEC });
  const { client, apiKey } = await clients.createClient(account.accountId, { name: 'Demo client', tier: 'standard' });
  infra.log.info({ account_id: account.accountId, client_id: client.clientId }, 'demo account and client created');
  return { clientId: client.clientId, apiKey };
}
