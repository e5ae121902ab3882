// The schema index: imports every domain file (each registers its types on the builder) and builds once.
import { builder } from '../platform/graphql/builder.ts';
import { checkBillingRules } from '../modules/paid-reads/billing-rules.ts';
import '../platform/graphql/scalars.ts';
import '../modules/paid-reads/product.graphql.ts';
import '../modules/billing/pricing.graphql.ts';
import '../modules/paid-reads/catalog.graphql.ts';
import '../modules/account-view/account-view.graphql.ts';
import '../modules/webhooks/webhooks.graphql.ts';

// Refuses to start when a field that reads paid data has no billing rule (billing-rules.ts).
export const schema = checkBillingRules(builder.toSchema());
