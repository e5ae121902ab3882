// "The selection is the bill": walks an operation before execution (fragments, aliases, variables,
// @include/@skip) and builds its read plan, merging repeats so each distinct product scope/image is billed
// once. Also enforces the operation limits (depth, aliases, barcodes).
import {
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  Kind,
  getArgumentValues,
  getDirectiveValues,
  getVariableValues,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLObjectType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { AppError } from '../kernel/errors.ts';
import { toGtin14 } from '../catalog/gtin.ts';
import { PlanBuilder, type ReadPlan } from '../paid-reads/read-plan.ts';
import { MAX_BARCODES, planBulkCheck } from '../paid-reads/bulk-check.ts';
import type { Variant } from '../catalog/product.types.ts';
import type { ImageFormat, ImageSize } from '../catalog/image-spec.ts';
import type { ListingPage } from '../listing/listing.service.ts';
import type { ListingRequest } from '../listing/listing.params.ts';
import { catalogKey, catalogRequest, type CatalogArgs } from './catalog.request.ts';

export const MAX_DEPTH = 10;
export const MAX_ALIASES = 100;

/** Root fields that need neither a token nor a charge. */
export const FREE_ROOT_FIELDS = new Set(['pricing', '__typename', '__schema', '__type']);

const IMAGE_FIELDS: Record<string, Variant> = {
  front: 'front',
  back: 'back',
  frontClean: 'front_clean',
  backClean: 'back_clean',
};

/** One `catalog` field of the operation: its listing request and the selection sets of its nodes. */
export interface CatalogSelection {
  key: string;
  request: ListingRequest;
  /** `edges { node { … } }` selections that select paid fields; bare nodes (barcode, availableVariants) are free. */
  paidNodeSets: SelectionSetNode[];
}

export interface OperationPlan {
  needsPrincipal: boolean;
  /** Listing pages to load before the bill can be planned (the plugin runs them, the resolver reuses them). */
  catalog: CatalogSelection[];
  /** The read plan: the operation's products plus every listed product of a catalog page with paid nodes. */
  build(pages: ReadonlyMap<string, ListingPage>): ReadPlan;
}

type Vars = Record<string, unknown>;

export function findOperation(doc: DocumentNode, name: string | null | undefined): OperationDefinitionNode | null {
  const ops = doc.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  if (name) return ops.find((o) => o.name?.value === name) ?? null;
  return ops.length === 1 ? ops[0] : null;
}

/** null when the operation cannot execute anyway (unknown name, bad variables): execution reports why. */
export function planOperation(
  schema: GraphQLSchema,
  doc: DocumentNode,
  operationName: string | null | undefined,
  rawVariables: Vars | null | undefined,
): OperationPlan | null {
  const op = findOperation(doc, operationName);
  if (!op) return null;
  const coerced = getVariableValues(schema, op.variableDefinitions ?? [], rawVariables ?? {});
  if (coerced.errors) return null;
  const vars = coerced.coerced;
  const fragments = new Map(
    doc.definitions
      .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
      .map((f) => [f.name.value, f]),
  );
  const walker = new Walker(schema, fragments, vars);
  walker.checkLimits(op.selectionSet);

  const builder = new PlanBuilder();
  const catalog = new Map<string, CatalogSelection>();
  let needsPrincipal = false;
  const root =
    op.operation === 'query'
      ? schema.getQueryType()
      : op.operation === 'mutation'
        ? schema.getMutationType()
        : schema.getSubscriptionType();
  if (!root) return null;
  for (const field of walker.fields(op.selectionSet)) {
    const name = field.name.value;
    if (!FREE_ROOT_FIELDS.has(name)) needsPrincipal = true;
    const def = root.getFields()[name];
    if (!def) continue;
    if (op.operation !== 'query') continue;
    if (name === 'product') {
      const args = getArgumentValues(def, field, vars) as { barcode: string };
      walker.product(builder, toGtin14(args.barcode)!, field.selectionSet);
    } else if (name === 'products') {
      const args = getArgumentValues(def, field, vars) as { barcodes: string[] };
      limitList(args.barcodes);
      for (const b of args.barcodes) walker.product(builder, toGtin14(b)!, field.selectionSet);
    } else if (name === 'bulkCheck') {
      const args = getArgumentValues(def, field, vars) as { barcodes: string[] };
      limitList(args.barcodes);
      planBulkCheck(builder, args.barcodes);
    } else if (name === 'catalog') {
      const args = getArgumentValues(def, field, vars) as CatalogArgs;
      const key = catalogKey(args);
      const sel = catalog.get(key) ?? { key, request: catalogRequest(args), paidNodeSets: [] };
      catalog.set(key, sel);
      for (const edges of walker.fields(field.selectionSet)) {
        if (edges.name.value !== 'edges') continue;
        for (const node of walker.fields(edges.selectionSet)) {
          if (node.name.value === 'node' && walker.selectsPaid(node.selectionSet))
            sel.paidNodeSets.push(node.selectionSet!);
        }
      }
    }
  }
  const build = (pages: ReadonlyMap<string, ListingPage>): ReadPlan => {
    for (const sel of catalog.values()) {
      const page = pages.get(sel.key);
      if (!page) throw new Error(`catalog page ${sel.key} was not loaded before planning`);
      for (const set of sel.paidNodeSets) for (const item of page.items) walker.product(builder, item.gtin14, set);
    }
    limitOperation(builder);
    return builder.build();
  };
  limitOperation(builder); // explicit lists fail before any listing query runs
  return { needsPrincipal, catalog: [...catalog.values()], build };
}

function limitOperation(builder: PlanBuilder): void {
  if (builder.barcodeCount > MAX_BARCODES) {
    throw new AppError(
      'bad_request',
      `At most ${MAX_BARCODES} distinct barcodes per operation (got ${builder.barcodeCount}).`,
    );
  }
}

function limitList(list: readonly string[]): void {
  if (list.length === 0) throw new AppError('bad_request', 'Give at least one barcode.');
  if (list.length > MAX_BARCODES)
    throw new AppError('bad_request', `At most ${MAX_BARCODES} barcodes per list (got ${list.length}).`);
}

class Walker {
  constructor(
    private readonly schema: GraphQLSchema,
    private readonly fragments: Map<string, FragmentDefinitionNode>,
    private readonly vars: Vars,
  ) {}

  /** The fields of a selection set as execution will see them: fragments expanded, @skip/@include applied. */
  *fields(set: SelectionSetNode | undefined, seen = new Set<string>()): Generator<FieldNode> {
    if (!set) return;
    for (const sel of set.selections) {
      if (!this.included(sel)) continue;
      if (sel.kind === Kind.FIELD) yield sel;
      else if (sel.kind === Kind.INLINE_FRAGMENT) yield* this.fields(sel.selectionSet, seen);
      else {
        const name = sel.name.value;
        const frag = this.fragments.get(name);
        if (!frag || seen.has(name)) continue;
        yield* this.fields(frag.selectionSet, new Set(seen).add(name));
      }
    }
  }

  private included(node: { directives?: readonly import('graphql').DirectiveNode[] }): boolean {
    if (getDirectiveValues(GraphQLSkipDirective, node, this.vars)?.if === true) return false;
    if (getDirectiveValues(GraphQLIncludeDirective, node, this.vars)?.if === false) return false;
    return true;
  }

  checkLimits(set: SelectionSetNode): void {
    let aliases = 0;
    const visit = (s: SelectionSetNode | undefined, depth: number) => {
      for (const f of this.fields(s)) {
        if (f.alias) aliases++;
        if (f.name.value === '__schema' || f.name.value === '__type') continue; // introspection is deep by nature
        if (depth > MAX_DEPTH) throw new AppError('bad_request', `The operation is deeper than ${MAX_DEPTH} levels.`);
        if (aliases > MAX_ALIASES)
          throw new AppError('bad_request', `The operation uses more than ${MAX_ALIASES} aliases.`);
        if (f.selectionSet) visit(f.selectionSet, depth + 1);
      }
    };
    visit(set, 1);
  }

  /** True when a Product selection asks for anything billed (a scope, or an image variant). */
  selectsPaid(set: SelectionSetNode | undefined): boolean {
    for (const f of this.fields(set)) {
      const name = f.name.value;
      if (name === 'productMeta' || name === 'imageMeta') return true;
      if (name === 'images' && [...this.fields(f.selectionSet)].some((img) => IMAGE_FIELDS[img.name.value]))
        return true;
    }
    return false;
  }

  /** One selection of a product: what it asks for joins the product's merged want. */
  product(builder: PlanBuilder, gtin14: string, set: SelectionSetNode | undefined): void {
    const want = builder.product(gtin14);
    for (const f of this.fields(set)) {
      const name = f.name.value;
      if (name === 'productMeta') want.productMeta = true;
      else if (name === 'imageMeta') want.imageMeta = true;
      else if (name === 'images') {
        const type = this.schema.getType('ProductImages') as GraphQLObjectType;
        for (const img of this.fields(f.selectionSet)) {
          const variant = IMAGE_FIELDS[img.name.value];
          if (!variant) continue;
          const args = getArgumentValues(type.getFields()[img.name.value], img, this.vars) as {
            size: ImageSize;
            format: ImageFormat;
          };
          builder.image(gtin14, { variant, size: args.size, format: args.format });
        }
      }
    }
  }
}
