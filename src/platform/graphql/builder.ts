// The Pothos builder: Context, Scalars and the root types only. Each module registers its own types and fields
// through its `graphql(builder)` (src/modules/<name>/<name>.graphql.ts); src/main/schema.ts builds one builder per
// process, hands it to every module in order and prints the schema from it.
import SchemaBuilder from '@pothos/core';
import type { GraphQLContext } from './context.ts';

type Scalars = {
  Barcode: { Input: string; Output: string };
  Credits: { Input: number; Output: bigint | number };
  DateTime: { Input: Date; Output: Date | string };
  Date: { Input: Date; Output: Date | string };
  URL: { Input: URL; Output: string };
  NonNegativeInt: { Input: number; Output: number };
};

type Types = { Context: GraphQLContext; Scalars: Scalars; DefaultFieldNullability: false };

export type Builder = PothosSchemaTypes.SchemaBuilder<PothosSchemaTypes.ExtendDefaultTypes<Types>>;

export function createBuilder(): Builder {
  // Non-null unless a field says otherwise: clients get precise types (`String!`) from codegen.
  const builder = new SchemaBuilder<Types>({ defaultFieldNullability: false });
  builder.queryType({
    description: [
      'Paid product data. The selection is the bill (see Product). Every response carries',
      '`extensions.billing {creditsDebited, creditsRemaining, requestId, lines}`, and the REST headers',
      '(X-Request-ID, X-Credits-Debited, X-Credits-Remaining, rate-limit headers).',
      '',
      'Price quote: send the HTTP header `X-Price-Quote: 1` with any operation. It is priced exactly as it would',
      'be charged, nothing is debited, no data is returned (`data: null`), and `extensions.billing` carries',
      '`quote: true`, `creditsQuoted` and the priced `lines`.',
      '',
      'Limits per operation: 500 distinct barcodes, depth 10, 100 aliases, 1 MiB request body.',
    ].join('\n'),
  });
  builder.mutationType({ description: "Changes to this API client's own settings (free)." });
  return builder;
}
