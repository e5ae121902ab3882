// The operators module (docs/console.md#operators): operator users with password + TOTP, and the operator
// console's fields over the other modules' services.
import type { Sql } from '../../platform/db/client.ts';
import type { Module } from '../../platform/module.ts';
import { LoginThrottle } from '../../platform/shared-state/login-throttle.ts';
import type { SharedState } from '../../platform/shared-state/shared-state.ts';
import { type OperatorsDeps, OperatorsService } from './operators.service.ts';

export { operatorsCli } from './operators.cli.ts';
export { operatorsGraphql } from './operators.graphql.ts';

export interface OperatorsModule extends Module {
  operators: OperatorsService;
}

export function createOperatorsModule(
  deps: Omit<OperatorsDeps, 'throttle'> & { sql: Sql; state: SharedState; failedPerMinute: number },
): OperatorsModule {
  const operators = new OperatorsService({
    ...deps,
    throttle: new LoginThrottle(deps.state, deps.failedPerMinute, 'operator-fail'),
  });
  return { name: 'operators', operators, graphqlServices: { operators } };
}
