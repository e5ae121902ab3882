// /graphql (docs/graphql.md): GraphiQL for browsers and persisted operations.
import { z } from 'zod';
import { configSection, type SectionValue } from '../config/section.ts';

export const graphqlConfig = configSection(
  {
    /** GraphiQL at GET /graphql for browsers (self-hosted, works offline). Default: on, except in production. */
    GRAPHIQL: z.enum(['0', '1']).optional(),
    /** Persisted operations: a JSON manifest `{ "<id>": "<document>" }` (docs/graphql.md#persisted-operations). */
    PERSISTED_OPERATIONS_FILE: z.string().optional(),
    /** `1`: /graphql runs only persisted operations; a sent document is refused. Default `0`. */
    PERSISTED_OPERATIONS_ONLY: z.enum(['0', '1']).default('0'),
  },
  (e, common) => ({
    graphiql: e.GRAPHIQL ? e.GRAPHIQL === '1' : !common.production,
    persistedOperationsFile: e.PERSISTED_OPERATIONS_FILE,
    persistedOnly: e.PERSISTED_OPERATIONS_ONLY === '1',
  }),
);
export type GraphQLConfig = SectionValue<typeof graphqlConfig>;
