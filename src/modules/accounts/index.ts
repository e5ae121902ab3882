// The accounts module (docs/admin.md): accounts with their prepaid balance, their API clients and keys, credit
// grants, and ending a client's sessions. Operators reach it through /admin/v1 and the admin CLI.
import type { Sql } from '../../platform/db/client.ts';
import type { Module } from '../../platform/module.ts';
import type { AccountsConfig } from './accounts.config.ts';
import { AccountsService } from './accounts.service.ts';
import { adminAccountRoutes } from './admin-accounts.routes.ts';
import { adminClientSessionRoutes } from './admin-sessions.routes.ts';
import { ClientsService } from './clients.service.ts';

export { accountsCli } from './accounts.cli.ts';
export { type AccountsConfig, accountsConfig } from './accounts.config.ts';
export { AccountsService } from './accounts.service.ts';
export {
  type ClientRow,
  clientById,
  clientForExchange,
  setClientNotBefore,
} from './clients.repository.ts';
export { ClientsService } from './clients.service.ts';

export interface AccountsModule extends Module {
  accounts: AccountsService;
  clients: ClientsService;
}

export function createAccountsModule(deps: {
  config: AccountsConfig;
  sql: Sql;
  /** Told when a client changed, and when its sessions ended (the auth module's caches). */
  onClientChanged: (clientId: string) => void;
  onSessionsEnded: (clientId: string, atMs: number) => Promise<void>;
  /** Sentences about scope brands that match no catalog brand (docs/operations.md#scoped-clients). */
  brandWarnings: (brands: string[] | null | undefined) => Promise<string[]>;
}): AccountsModule {
  const accounts = new AccountsService(deps.sql);
  const clients = new ClientsService(deps.sql, {
    keyOverlapSec: deps.config.keyOverlapSec,
    onChange: deps.onClientChanged,
    onSessionsEnded: deps.onSessionsEnded,
  });
  return {
    name: 'accounts',
    accounts,
    clients,
    adminRoutes: [
      ...adminAccountRoutes({ accounts, clients, brandWarnings: deps.brandWarnings }),
      ...adminClientSessionRoutes({ clients }),
    ],
  };
}
