// Scalars every module may use: standard ones from graphql-scalars, and Credits (exact decimals). Domain scalars
// (Barcode) belong to their module.
import { GraphQLError } from 'graphql';
import { GraphQLDate, GraphQLDateTime, GraphQLNonNegativeInt, GraphQLURL } from 'graphql-scalars';
import { credits, parseCredits, unitsToNumber } from '../../kernel/credits.ts';
import type { Builder } from './builder.ts';

export function scalarsGraphql(builder: Builder): void {
  builder.addScalarType('DateTime', GraphQLDateTime);
  builder.addScalarType('Date', GraphQLDate);
  builder.addScalarType('URL', GraphQLURL);
  builder.addScalarType('NonNegativeInt', GraphQLNonNegativeInt);
  builder.scalarType('Credits', {
    description:
      'An amount of credits, exact to 0.0001 (e.g. 2.6). Serialized as a JSON number literal with the exact decimal digits at any size.',
    serialize: (v) => (typeof v === 'bigint' ? credits(v) : Number(v)),
    parseValue: (v) => {
      const u = parseCredits(v);
      if (u === null)
        throw new GraphQLError('Credits have at most 4 decimals.', { extensions: { code: 'BAD_REQUEST' } });
      return unitsToNumber(u);
    },
  });
}
