// The one GraphQL schema of the process: every module registers its types and fields on one builder, in an order
// where a module's types exist before another module names them; then the schema is built and checked. It refuses
// to start when a field that reads paid data has no billing rule (docs/graphql-limits.md#billing-rules).
import { accountViewGraphql } from '../modules/account-view/index.ts';
import { pricingGraphql } from '../modules/billing/index.ts';
import { catalogGraphql } from '../modules/catalog/index.ts';
import { operatorsGraphql } from '../modules/operators/index.ts';
import { checkBillingRules, paidReadsGraphql } from '../modules/paid-reads/index.ts';
import { consoleDataGraphql, peopleGraphql } from '../modules/people/index.ts';
import { topupsGraphql } from '../modules/topups/index.ts';
import { webhooksGraphql } from '../modules/webhooks/index.ts';
import { createBuilder } from '../platform/graphql/builder.ts';
import { scalarsGraphql } from '../platform/graphql/scalars.ts';

const builder = createBuilder();
scalarsGraphql(builder);
catalogGraphql(builder);
const { TierEnum } = pricingGraphql(builder);
paidReadsGraphql(builder);
accountViewGraphql(builder, { TierEnum });
webhooksGraphql(builder);
peopleGraphql(builder);
consoleDataGraphql(builder, { TierEnum });
operatorsGraphql(builder, topupsGraphql(builder));

export const schema = checkBillingRules(builder.toSchema());
