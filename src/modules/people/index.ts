// The people module (docs/console.md): the persons of an account (not API clients), their sessions, roles,
// invitations and audit log, and the console's account data (overview, API clients, usage, ledger, webhooks).
import type { Sql } from '../../platform/db/client.ts';
import type { Mailer } from '../../platform/mail/mailer.ts';
import type { Module } from '../../platform/module.ts';
import { LoginThrottle } from '../../platform/shared-state/login-throttle.ts';
import type { SharedState } from '../../platform/shared-state/shared-state.ts';
import type { AccountsService, ClientsService } from '../accounts/index.ts';
import type { LimitsModule } from '../limits/index.ts';
import type { WebhooksModule } from '../webhooks/index.ts';
import { consoleRoutes } from './console.routes.ts';
import { ConsoleDataService } from './console-data.service.ts';
import { consoleCookiePlugin } from './console-request.ts';
import type { PeopleConfig } from './people.config.ts';
import { PeopleService } from './people.service.ts';

export type { ConsoleRequest } from './console.views.ts';
export { consoleDataGraphql } from './console-data.graphql.ts';
export { consoleRequest } from './console-request.ts';
export {
  assertPasswordAllowed,
  hashPassword,
  newSecret,
  normalEmail,
  sameSecret,
  sha256,
  verifyPassword,
} from './passwords.ts';
export { type PeopleConfig, peopleConfig } from './people.config.ts';
export { peopleGraphql } from './people.graphql.ts';
export type { AuditRecord } from './people.repository.ts';
export { cookieValue, type Member, sessionCookie } from './people.service.ts';

export interface PeopleModule extends Module {
  people: PeopleService;
}

export function createPeopleModule(deps: {
  config: PeopleConfig;
  sql: Sql;
  state: SharedState;
  mailer: Mailer;
  accounts: AccountsService;
  clients: ClientsService;
  webhooks: WebhooksModule['service'];
  clientBudget: LimitsModule['clientBudget'];
  publicBaseUrl?: string;
}): PeopleModule {
  const { config, sql } = deps;
  const people = new PeopleService({
    sql,
    mailer: deps.mailer,
    accounts: deps.accounts,
    clients: deps.clients,
    pairThrottle: new LoginThrottle(deps.state, config.failedPerMinute, 'console-fail'),
    ipThrottle: new LoginThrottle(deps.state, config.failedPerMinute * 5, 'console-ip'),
    signup: config.signup,
    linkBase: deps.publicBaseUrl,
  });
  const consoleData = new ConsoleDataService({
    sql,
    clients: deps.clients,
    webhooks: deps.webhooks,
    clientBudget: deps.clientBudget,
    linkBase: deps.publicBaseUrl,
    audit: (m, action, target, details = {}) =>
      people.audit({
        accountId: m.accountId,
        actorKind: 'user',
        actorId: m.userId,
        actor: m.email,
        action,
        target,
        details,
        ip: m.ip,
      }),
  });
  return {
    name: 'people',
    people,
    routes: consoleRoutes(people, consoleData),
    graphqlServices: { people, consoleData },
    graphqlPlugins: [consoleCookiePlugin()],
    graphqlOperation: () => ({ consoleCookie: null }),
  };
}
