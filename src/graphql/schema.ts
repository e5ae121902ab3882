// The schema index: imports every domain file (each registers its types on the builder) and builds once.
import { builder } from './builder.ts';
import { checkBillingRules } from './billing-rules.ts';
import './scalars.ts';
import './product.graphql.ts';
import './pricing.graphql.ts';
import './catalog.graphql.ts';
import './account.graphql.ts';
import './webhooks.graphql.ts';

// Refuses to start when a field that reads paid data has no billing rule (billing-rules.ts).
export const schema = checkBillingRules(builder.toSchema());
