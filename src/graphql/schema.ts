// The schema index: imports every domain file (each registers its types on the builder) and builds once.
import { builder } from './builder.ts';
import './scalars.ts';
import './product.graphql.ts';
import './pricing.graphql.ts';
import './catalog.graphql.ts';
import './account.graphql.ts';
import './webhooks.graphql.ts';

export const schema = builder.toSchema();
