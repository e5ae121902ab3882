// The billing rule of a GraphQL field lives on the field itself (`extensions.billing`), next to its resolver:
// the planner (selection-plan.ts) reads the rules from the schema and knows no field names. A start-up check
// (checkBillingRules) refuses a schema in which a root field, a field of a billed type, or a field returning a
// billed type has no rule, so a paid field cannot ship unbilled. See docs/graphql-limits.md#billing-rules.
import { type GraphQLField, type GraphQLObjectType, type GraphQLSchema, getNamedType, isObjectType } from 'graphql';
import type { FreeRule } from '../../platform/graphql/field-access.ts';
import type { Variant } from '../catalog/index.ts';
import type { ListingRequest } from '../listing/index.ts';
import type { ImageWant, PlanBuilder } from './read-plan.ts';

/** What a selection of one product asks for (merged over every selection of it in the operation). */
export interface ProductSelection {
  productMeta: boolean;
  imageMeta: boolean;
  /** Distinct by imageKey. */
  images: ImageWant[];
}

export const selectsPaid = (s: ProductSelection) => s.productMeta || s.imageMeta || s.images.length > 0;

/** One root field as its plan hook sees it, after @skip/@include, fragments and merging. */
interface RootFieldPlan {
  /** Coerced arguments (variables and defaults applied). */
  args: Record<string, unknown>;
  /**
   * The merged product selection of this field: its own when it returns a billed product type, else that of
   * every field below it marked `listed` (a connection's `edges.node`).
   */
  selection(): ProductSelection;
}

/** What root plan hooks write to: the operation's one read plan, and the listings it needs first. */
export interface PlanSink {
  readonly builder: PlanBuilder;
  /** One more product with what is selected of it (selecting nothing paid bills products.head). */
  product(gtin14: string, selection: ProductSelection): void;
  /** A listing page to load before billing; every listed product is billed for `selection` when it is paid. */
  listing(key: string, request: ListingRequest, selection: ProductSelection): void;
}

export type RootPlanHook = (field: RootFieldPlan, plan: PlanSink) => void;

export type BillingRule =
  /** Root field: free (platform/graphql/field-access.ts, the rule every module's free fields use). */
  | FreeRule
  /** Root field: reads paid data; its hook adds what it reads to the plan. Needs a token. */
  | { kind: 'root'; plan: RootPlanHook }
  /** Field of a billed type: free, and nothing below it is billed. */
  | { kind: 'included' }
  /** Field of a billed type: selecting it (any of its sub-fields) bills the product's scope. */
  | { kind: 'scope'; scope: 'productMeta' | 'imageMeta' }
  /** Field of a billed type: one image; its `size` and `format` arguments are part of what is billed. */
  | { kind: 'image'; variant: Variant }
  /** Field of a billed type returning another billed type: free itself, its fields carry the rules. */
  | { kind: 'container' }
  /** A field outside the billed types that returns one: planned by its root field's hook (`selection()`). */
  | { kind: 'listed' };

/** Type-level marker: every field of a type carrying it must have a rule (product data lives there). */
export const BILLED_TYPE = { billedType: true } as const;

/** Pothos `extensions` for a paid field's rule: `extensions: billing.scope('productMeta')`. */
export const billing = {
  root: (plan: RootPlanHook) => ({ billing: { kind: 'root', plan } satisfies BillingRule }),
  included: () => ({ billing: { kind: 'included' } satisfies BillingRule }),
  scope: (scope: 'productMeta' | 'imageMeta') => ({ billing: { kind: 'scope', scope } satisfies BillingRule }),
  image: (variant: Variant) => ({ billing: { kind: 'image', variant } satisfies BillingRule }),
  container: () => ({ billing: { kind: 'container' } satisfies BillingRule }),
  listed: () => ({ billing: { kind: 'listed' } satisfies BillingRule }),
};

export const ruleOf = (field: GraphQLField<unknown, unknown>): BillingRule | undefined =>
  (field.extensions as { billing?: BillingRule } | undefined)?.billing;

export const isBilledType = (type: unknown): type is GraphQLObjectType =>
  isObjectType(type) && (type.extensions as { billedType?: boolean } | undefined)?.billedType === true;

const ROOT_KINDS = new Set<BillingRule['kind']>(['free', 'root']);
const BILLED_FIELD_KINDS = new Set<BillingRule['kind']>(['included', 'scope', 'image', 'container']);

/**
 * Throws, naming every offending field, unless:
 * - every field of the query (and mutation) type has a root rule (`free` or `root`);
 * - every field of a billed type has a field rule, a `container` returns a billed type, an `image` field has
 *   `size` and `format` arguments;
 * - every other field returning a billed type is `listed` (its root field's hook plans it).
 */
export function checkBillingRules(schema: GraphQLSchema): GraphQLSchema {
  const problems: string[] = [];
  const roots = [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()].filter((t) => !!t);
  const rootNames = new Set(roots.map((t) => t.name));
  for (const root of roots) {
    for (const f of Object.values(root.getFields())) {
      const rule = ruleOf(f);
      if (!rule || !ROOT_KINDS.has(rule.kind)) {
        problems.push(`${root.name}.${f.name} needs a root billing rule (free or root)`);
      }
    }
  }
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__') || rootNames.has(type.name)) continue;
    const billedType = isBilledType(type);
    for (const f of Object.values(type.getFields())) {
      const rule = ruleOf(f);
      const returnsBilled = isBilledType(getNamedType(f.type));
      const where = `${type.name}.${f.name}`;
      if (billedType) {
        const hasArg = (name: string) => f.args.some((a) => a.name === name);
        if (!rule || !BILLED_FIELD_KINDS.has(rule.kind)) {
          problems.push(`${where} needs a billing rule (or billing.included())`);
        } else if (rule.kind === 'container' && !returnsBilled) {
          problems.push(`${where} is a container of a type that is not billed`);
        } else if (rule.kind !== 'container' && returnsBilled) {
          problems.push(`${where} returns a billed type: use billing.container()`);
        } else if (rule.kind === 'image' && !(hasArg('size') && hasArg('format'))) {
          problems.push(`${where} bills an image but has no size/format arguments`);
        }
      } else if (returnsBilled && rule?.kind !== 'listed') {
        problems.push(`${where} returns a billed type: mark it billing.listed() and plan it in its root field's hook`);
      } else if (rule && !returnsBilled) {
        problems.push(`${where} carries a billing rule but is neither on nor returning a billed type`);
      }
    }
  }
  if (problems.length) {
    throw new Error(`GraphQL schema: fields without a valid billing rule:\n- ${problems.join('\n- ')}`);
  }
  return schema;
}
