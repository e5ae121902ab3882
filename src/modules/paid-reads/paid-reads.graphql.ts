// The GraphQL half of the paid read (docs/graphql.md): the Product type and its paid fields, product/products/
// bulkCheck, and the catalog connection. The billing plugin plans each operation from these fields' rules and runs
// the plan through the same read-plan service as REST before any of them resolves.
import type { Builder } from '../../platform/graphql/builder.ts';
import type { ListingPage } from '../listing/index.ts';
import { catalogGraphql } from './catalog.graphql.ts';
import type { IdempotentRead } from './idempotency.service.ts';
import { productGraphql } from './product.graphql.ts';
import type { PlanResult } from './read-plan.service.ts';
import type { ReadPlan } from './read-plan.ts';

declare module '../../platform/graphql/context.ts' {
  interface OperationState {
    /** The operation's read plan, built by the billing plugin from the selection. */
    plan: ReadPlan | null;
    /** Set by the billing plugin before any field resolves; null when the operation reads nothing paid. */
    result: PlanResult | null;
    /** catalogKey -> the listing page loaded while planning (the connection resolver reuses it). */
    catalog: Map<string, ListingPage>;
    /** Set by the idempotency plugin under an Idempotency-Key: the debit is bound to the key (or, rebuilt, skipped). */
    idempotency: IdempotentRead | null;
  }
}

/** The fresh per-operation state of the paid read (see OperationState above). */
export const paidOperationState = () => ({
  plan: null,
  result: null,
  catalog: new Map<string, ListingPage>(),
  idempotency: null,
});

export function paidReadsGraphql(builder: Builder): void {
  catalogGraphql(builder, productGraphql(builder));
}
