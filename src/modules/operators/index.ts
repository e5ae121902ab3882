// The operators module (docs/console.md#operators): operator users with password + TOTP, and the operator
// console's fields over the other modules' services.
import type { Module } from '../../platform/module.ts';
import { OperatorsService } from './operators.service.ts';

export { operatorsGraphql } from './operators.graphql.ts';

export interface OperatorsModule extends Module {
  operators: OperatorsService;
}

export function createOperatorsModule(): OperatorsModule {
  const operators = new OperatorsService();
  return { name: 'operators', operators, graphqlServices: { operators } };
}
