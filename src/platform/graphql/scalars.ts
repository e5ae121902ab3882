// Scalars: standard ones from graphql-scalars, plus Barcode (GS1-validated) and Credits (exact decimals).
import { GraphQLError } from 'graphql';
import { GraphQLDate, GraphQLDateTime, GraphQLNonNegativeInt, GraphQLURL } from 'graphql-scalars';
import { builder } from './builder.ts';
import { parseBarcode } from '../../modules/catalog/gtin.ts';
import { credits, parseCredits, unitsToNumber } from '../../kernel/credits.ts';

builder.addScalarType('DateTime', GraphQLDateTime);
builder.addScalarType('Date', GraphQLDate);
builder.addScalarType('URL', GraphQLURL);
builder.addScalarType('NonNegativeInt', GraphQLNonNegativeInt);

function barcodeValue(v: unknown): string {
  if (typeof v !== 'string')
    throw new GraphQLError('A barcode is a string of 8 to 14 digits.', { extensions: { code: 'INVALID_BARCODE' } });
  const r = parseBarcode(v);
  if (!r.ok) {
    throw new GraphQLError(
      r.reason === 'format'
        ? `"${v.slice(0, 40)}" is not a barcode: use 8 to 14 digits.`
        : `"${v}" has a wrong GS1 check digit.`,
      { extensions: { code: 'INVALID_BARCODE' } },
    );
  }
  return v;
}

builder.scalarType('Barcode', {
  description:
    "A GS1 barcode (GTIN-8, UPC-A, EAN-13 or GTIN-14): 8 to 14 digits with a valid check digit. Leading zeros do not matter for lookup; outputs are the catalog's printed form.",
  serialize: (v) => String(v),
  parseValue: barcodeValue,
  parseLiteral: (ast) => barcodeValue(ast.kind === 'StringValue' ? ast.value : undefined),
});

builder.scalarType('Credits', {
  description:
    'An amount of credits, exact to 0.0001 (e.g. 2.6). Serialized as a JSON number literal with the exact decimal digits at any size.',
  serialize: (v) => (typeof v === 'bigint' ? credits(v) : Number(v)),
  parseValue: (v) => {
    const u = parseCredits(v);
    if (u === null) throw new GraphQLError('Credits have at most 4 decimals.', { extensions: { code: 'BAD_REQUEST' } });
    return unitsToNumber(u);
  },
});
