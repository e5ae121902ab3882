// The start-up check of billing rules (src/modules/paid-reads/billing-rules.ts): the real schema passes, and a schema
// in which a field that reads paid data carries no rule is refused, naming the field. The service builds its
// schema through this check at import, so such a schema cannot start.

import SchemaBuilder from '@pothos/core';
import { describe, expect, it } from 'vitest';
import { schema } from '../../../src/main/schema.ts';
import { BILLED_TYPE, billing, checkBillingRules } from '../../../src/modules/paid-reads/billing-rules.ts';
import { free } from '../../../src/platform/graphql/field-access.ts';

interface Shape {
  paidFieldRule: boolean;
  rootRule: boolean;
  nodeListed: boolean;
  imageArgs: boolean;
}

/** A miniature of the product schema; each flag removes one rule. */
function build(shape: Shape) {
  const b = new SchemaBuilder<{ DefaultFieldNullability: true }>({});
  const Images = b.objectRef<object>('Images').implement({
    extensions: BILLED_TYPE,
    fields: (t) => ({
      front: t.string({
        extensions: billing.image('front'),
        args: shape.imageArgs ? { size: t.arg.string(), format: t.arg.string() } : {},
        resolve: () => null,
      }),
    }),
  });
  const Product = b.objectRef<object>('Product').implement({
    extensions: BILLED_TYPE,
    fields: (t) => ({
      barcode: t.string({ extensions: billing.included(), resolve: () => '1' }),
      meta: t.string({ extensions: billing.scope('productMeta'), resolve: () => 'm' }),
      // The new paid field: without a rule, the check must refuse the schema.
      secretRecipe: t.string({
        ...(shape.paidFieldRule ? { extensions: billing.scope('productMeta') } : {}),
        resolve: () => 's',
      }),
      images: t.field({ type: Images, extensions: billing.container(), resolve: () => ({}) }),
    }),
  });
  const Edge = b.objectRef<object>('Edge').implement({
    fields: (t) => ({
      node: t.field({
        type: Product,
        ...(shape.nodeListed ? { extensions: billing.listed() } : {}),
        resolve: () => ({}),
      }),
    }),
  });
  b.queryType({
    fields: (t) => ({
      product: t.field({
        type: Product,
        ...(shape.rootRule ? { extensions: billing.root(() => undefined) } : {}),
        resolve: () => ({}),
      }),
      edges: t.field({ type: [Edge], extensions: billing.root(() => undefined), resolve: () => [] }),
      pricing: t.string({ extensions: free({ token: false }), resolve: () => 'free' }),
    }),
  });
  return b.toSchema();
}

const ok: Shape = { paidFieldRule: true, rootRule: true, nodeListed: true, imageArgs: true };

describe('billing rules: checked when the schema is built', () => {
  it('the service schema carries a rule on every paid field', () => {
    expect(checkBillingRules(schema)).toBe(schema);
    const product = schema.getQueryType()!.getFields().product;
    expect(product.extensions).toHaveProperty('billing.kind', 'root');
  });

  it('a complete miniature passes', () => {
    expect(() => checkBillingRules(build(ok))).not.toThrow();
  });

  it('a paid field without a rule fails, naming the field', () => {
    const missing = build({ ...ok, paidFieldRule: false });
    expect(() => checkBillingRules(missing)).toThrow(/Product\.secretRecipe needs a billing rule/);
  });

  it('a root field without a rule fails', () => {
    const missing = build({ ...ok, rootRule: false });
    expect(() => checkBillingRules(missing)).toThrow(/Query\.product needs a root billing rule/);
  });

  it('a field returning a billed type from elsewhere must be marked listed', () => {
    expect(() => checkBillingRules(build({ ...ok, nodeListed: false }))).toThrow(/Edge\.node returns a billed type/);
  });

  it('an image rule needs its size and format arguments', () => {
    expect(() => checkBillingRules(build({ ...ok, imageArgs: false }))).toThrow(/Images\.front bills an image/);
  });
});
