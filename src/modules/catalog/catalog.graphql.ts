// The catalog's GraphQL vocabulary: the Barcode scalar (GS1-validated, the same rules as REST's barcode path).
import { GraphQLError } from 'graphql';
import type { Builder } from '../../platform/graphql/builder.ts';
import { parseBarcode } from './gtin.ts';

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

export function catalogGraphql(builder: Builder): void {
  builder.scalarType('Barcode', {
    description:
      "A GS1 barcode (GTIN-8, UPC-A, EAN-13 or GTIN-14): 8 to 14 digits with a valid check digit. Leading zeros do not matter for lookup; outputs are the catalog's printed form.",
    serialize: (v) => String(v),
    parseValue: barcodeValue,
    parseLiteral: (ast) => barcodeValue(ast.kind === 'StringValue' ? ast.value : undefined),
  });
}
