// The people module (docs/console.md): the persons of an account (not API clients), their sessions, roles,
// invitations and audit log, and the console's account data (overview, API clients, usage, ledger, webhooks).
import type { Module } from '../../platform/module.ts';
import { ConsoleDataService } from './console-data.service.ts';
import { consoleCookiePlugin } from './console-request.ts';
import { PeopleService } from './people.service.ts';

export type { ConsoleRequest } from './console.views.ts';
export { consoleDataGraphql } from './console-data.graphql.ts';
export { consoleRequest } from './console-request.ts';
export { peopleGraphql } from './people.graphql.ts';
export type { Member } from './people.service.ts';

export interface PeopleModule extends Module {
  people: PeopleService;
}

export function createPeopleModule(): PeopleModule {
  const people = new PeopleService();
  const consoleData = new ConsoleDataService();
  return {
    name: 'people',
    people,
    graphqlServices: { people, consoleData },
    graphqlPlugins: [consoleCookiePlugin()],
    graphqlOperation: () => ({ consoleCookie: null }),
  };
}
