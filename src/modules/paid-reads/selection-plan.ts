// "The selection is the bill": walks an operation before execution (fragments, aliases, variables,
// @include/@skip) and builds its read plan, merging repeats so each distinct product scope/image is billed
// once. It knows no field names: each field's billing rule is read from the schema (billing-rules.ts).
//
// Fields are collected the way graphql-js collects them for execution (each fragment expanded at most once
// per selection set), and each (type, field nodes) subtree is summarised once and memoised, so a document
// whose fragments spread each other over and over costs time linear in its size; a hard budget on visited
// nodes bounds the rest. The operation limits (depth, aliases, barcodes, introspection size, listings) are
// counted on the operation as it executes, fragments and introspection included: docs/graphql-limits.md#limits.
import {
  type ASTNode,
  type DirectiveNode,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  GraphQLError,
  type GraphQLField,
  GraphQLIncludeDirective,
  type GraphQLObjectType,
  type GraphQLSchema,
  GraphQLSkipDirective,
  getArgumentValues,
  getDirectiveValues,
  getNamedType,
  getNullableType,
  getVariableValues,
  isAbstractType,
  isCompositeType,
  isListType,
  isObjectType,
  Kind,
  type OperationDefinitionNode,
  SchemaMetaFieldDef,
  type SelectionSetNode,
  TypeMetaFieldDef,
  TypeNameMetaFieldDef,
  visit,
} from 'graphql';
import { AppError } from '../../kernel/errors.ts';
import {
  MAX_ALIASES,
  MAX_DEPTH,
  MAX_INTROSPECTION_DEPTH,
  MAX_INTROSPECTION_VALUES,
  MAX_LISTINGS,
  MAX_PLAN_NODES,
} from '../../platform/graphql/limits.ts';
import type { ImageFormat, ImageSize } from '../catalog/index.ts';
import type { ListingPage, ListingRequest } from '../listing/index.ts';
import {
  isBilledType,
  type PlanSink,
  type ProductSelection,
  type RootPlanHook,
  ruleOf,
  selectsPaid,
} from './billing-rules.ts';
import { MAX_BARCODES } from './bulk-check.ts';
import { type ImageWant, imageKey, PlanBuilder, type ReadPlan } from './read-plan.ts';

/** One listing field of the operation: its request, and what is selected of each listed product. */
interface ListingSelection {
  key: string;
  request: ListingRequest;
  selection: ProductSelection;
}

export interface OperationPlan {
  /** True when a root field needs a valid access token (paid data, or account data). */
  needsPrincipal: boolean;
  /** Listing fields of the operation (one per response key; several may share one page by key). */
  listings: ListingSelection[];
  /** The read plan: the operation's products plus every listed product of a page with paid selections. */
  build(pages: ReadonlyMap<string, ListingPage>): ReadPlan;
}

type Vars = Record<string, unknown>;
type AnyField = GraphQLField<unknown, unknown>;

function findOperation(doc: DocumentNode, name: string | null | undefined): OperationDefinitionNode | null {
  const ops = doc.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  if (name) return ops.find((o) => o.name?.value === name) ?? null;
  return ops.length === 1 ? ops[0] : null;
}

const bad = (message: string) => new AppError('bad_request', message);

/**
 * null when the operation cannot execute anyway (unknown name, bad variables): execution reports why.
 * Throws AppError bad_request for an operation beyond a limit, or one execution would refuse (a null
 * variable where a directive or argument needs a value).
 */
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
  const root =
    op.operation === 'query'
      ? schema.getQueryType()
      : op.operation === 'mutation'
        ? schema.getMutationType()
        : schema.getSubscriptionType();
  if (!root) return null;
  const vars = coerced.coerced;
  try {
    return instantiate(compiled(schema, doc, op, root, vars), vars);
  } catch (e) {
    // graphql-js refuses what execution would refuse too (e.g. `@skip(if: $v)` with $v null): a client mistake.
    if (e instanceof GraphQLError && !(e.originalError instanceof AppError)) throw bad(e.message);
    if (e instanceof GraphQLError && e.originalError instanceof AppError) throw e.originalError;
    throw e;
  }
}

/** One root field of a compiled operation, in the order the walk met it. */
type CompiledStep =
  | { kind: 'check'; def: AnyField; node: FieldNode; check: (args: Record<string, unknown>) => void }
  | { kind: 'hook'; def: AnyField; node: FieldNode; hook: RootPlanHook; selection: ProductSelection };

/** What planning an operation decided before its root fields' own arguments are looked at. */
interface CompiledOperation {
  needsPrincipal: boolean;
  steps: CompiledStep[];
}

// docs/graphql-limits.md#plan-cache: a compiled plan per (document, operation, values of its key variables).
// Documents come from yoga's parse cache, so the same query text is the same object and the WeakMap lets go
// of it when that cache does. Key variables are every variable used anywhere but in a root field's own
// arguments (directives, nested arguments such as an image's size): a request whose key variables match
// reuses the walk, and only its root arguments (the barcodes) are read afresh.
const PLANS_PER_OPERATION = 16;
const MAX_KEY_CHARS = 1024;
interface OperationPlans {
  keyVariables: string[];
  plans: Map<string, CompiledOperation>;
}
const compiledByDocument = new WeakMap<DocumentNode, Map<string, OperationPlans>>();
let compiledWalks = 0;
/** How many times an operation was walked (a cache miss); for tests.  @internal Exported for its tests. */
export const planWalks = () => compiledWalks;

function compiled(
  schema: GraphQLSchema,
  doc: DocumentNode,
  op: OperationDefinitionNode,
  root: GraphQLObjectType,
  vars: Vars,
): CompiledOperation {
  let byOperation = compiledByDocument.get(doc);
  if (!byOperation) compiledByDocument.set(doc, (byOperation = new Map()));
  const opKey = op.name?.value ?? '';
  let entry = byOperation.get(opKey);
  if (!entry) byOperation.set(opKey, (entry = { keyVariables: keyVariables(doc, op), plans: new Map() }));
  // [] for a variable not given, [value] for one given (null included): execution tells the two apart.
  const key = JSON.stringify(
    entry.keyVariables.map((v) => (v in vars ? [vars[v]] : [])),
    (_k, x) => (typeof x === 'bigint' ? `${x}n` : x),
  );
  const hit = entry.plans.get(key);
  if (hit) return hit;
  compiledWalks++;
  const made = new Planner(schema, doc, vars).compile(root, op);
  // Keys are client input: a long one (many directive variables, a large nested value) is walked every time
  // rather than kept, so what the cache holds stays small whatever the variables are.
  if (key.length > MAX_KEY_CHARS) return made;
  if (entry.plans.size >= PLANS_PER_OPERATION) entry.plans.delete(entry.plans.keys().next().value as string);
  entry.plans.set(key, made);
  return made;
}

/** The variables of `op` used anywhere except in the arguments of its root fields (sorted). */
function keyVariables(doc: DocumentNode, op: OperationDefinitionNode): string[] {
  // Root fields as written: directly in the operation's selection set or in its inline fragments. Fields
  // that named fragments put at the root are not counted as root: their variables become key variables,
  // which only makes the cache more specific.
  const rootFields: FieldNode[] = [];
  const walkRoot = (set: SelectionSetNode) => {
    for (const sel of set.selections) {
      if (sel.kind === Kind.FIELD) rootFields.push(sel);
      else if (sel.kind === Kind.INLINE_FRAGMENT) walkRoot(sel.selectionSet);
    }
  };
  walkRoot(op.selectionSet);
  const count = (node: ASTNode, into: Map<string, number>) =>
    visit(node, {
      Variable(v, _key, parent) {
        // The operation's own variable definitions are not uses.
        if (parent && !Array.isArray(parent) && (parent as ASTNode).kind === Kind.VARIABLE_DEFINITION) return;
        into.set(v.name.value, (into.get(v.name.value) ?? 0) + 1);
      },
    });
  const all = new Map<string, number>();
  count(op, all);
  for (const d of doc.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) count(d, all);
  const inRootArguments = new Map<string, number>();
  for (const f of rootFields) for (const a of f.arguments ?? []) count(a, inRootArguments);
  return [...all]
    .filter(([name, n]) => inRootArguments.get(name) !== n)
    .map(([name]) => name)
    .sort();
}

/** The per-request part: root fields' arguments, their checks and plan hooks, the barcode limits. */
function instantiate(c: CompiledOperation, vars: Vars): OperationPlan {
  const builder = new PlanBuilder();
  const listings: ListingSelection[] = [];
  const sink: PlanSink = {
    builder,
    product: (gtin14, selection) => applySelection(builder, gtin14, selection),
    listing: (key, request, selection) => {
      listings.push({ key, request, selection });
      if (listings.length > MAX_LISTINGS) throw bad(`At most ${MAX_LISTINGS} catalog listings per operation.`);
    },
  };
  const hooks = c.steps.filter((s) => s.kind === 'hook');
  // Beside paid fields, free fields check their arguments first: a failing non-null root field would
  // null the whole operation's data after its charge. Alone, they report their errors at their path.
  if (hooks.length) for (const s of c.steps) if (s.kind === 'check') s.check(getArgumentValues(s.def, s.node, vars));
  for (const s of hooks) {
    const selection = s.selection;
    s.hook({ args: getArgumentValues(s.def, s.node, vars), selection: () => selection }, sink);
  }
  limitBarcodes(builder); // explicit lists fail before any listing query runs
  const build = (pages: ReadonlyMap<string, ListingPage>): ReadPlan => {
    for (const l of listings) {
      if (!selectsPaid(l.selection)) continue;
      const page = pages.get(l.key);
      if (!page) throw new Error(`listing ${l.key} was not loaded before planning`);
      for (const item of page.items) applySelection(builder, item.gtin14, l.selection);
    }
    limitBarcodes(builder);
    return builder.build();
  };
  return { needsPrincipal: c.needsPrincipal, listings, build };
}

/** Shared by every request that reuses the compiled plan: frozen, so a hook cannot change it for the next. */
function freezeSelection(s: ProductSelection): ProductSelection {
  for (const img of s.images) Object.freeze(img);
  Object.freeze(s.images);
  return Object.freeze(s);
}

/** What a subtree (a field and everything selected below it) amounts to; computed once per distinct subtree. */
interface Summary {
  /** Levels, this field included. */
  depth: number;
  /** Aliased fields below this field (its own alias is its parent's to count). */
  aliases: number;
  /** Values this field contributes to the response, estimated (introspection's size budget). */
  values: number;
  /** Meaningful on fields returning a billed type: what the subtree selects of the product. */
  product: ProductSelection;
  /** The merged selections of `listed` fields below this one; null when there are none. */
  listed: ProductSelection | null;
}

const emptySelection = (): ProductSelection => ({ productMeta: false, imageMeta: false, images: [] });

function mergeInto(into: ProductSelection, from: ProductSelection): void {
  into.productMeta ||= from.productMeta;
  into.imageMeta ||= from.imageMeta;
  for (const img of from.images) addImage(into, img);
}

function addImage(into: ProductSelection, img: ImageWant): void {
  if (!into.images.some((i) => imageKey(i) === imageKey(img))) into.images.push(img);
}

class Planner {
  private readonly fragments: Map<string, FragmentDefinitionNode>;
  private readonly memo = new Map<string, Summary>();
  private readonly ids = new WeakMap<FieldNode, number>();
  private nextId = 0;
  private visited = 0;
  private readonly introspection: IntrospectionSizes;

  constructor(
    private readonly schema: GraphQLSchema,
    doc: DocumentNode,
    private readonly vars: Vars,
  ) {
    this.fragments = new Map(
      doc.definitions
        .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
        .map((f) => [f.name.value, f]),
    );
    this.introspection = introspectionSizes(schema);
  }

  /**
   * Everything about the operation that its key variables decide (docs/graphql-limits.md#plan-cache): which
   * fields are selected, every limit, and what each root field selects of the products. What a root field's
   * own arguments decide (which barcodes, which page) is left to `instantiate`.
   */
  compile(root: GraphQLObjectType, op: OperationDefinitionNode): CompiledOperation {
    let needsPrincipal = false;
    let aliases = 0;
    const steps: CompiledStep[] = [];
    for (const [key, nodes] of this.collect(root, [op.selectionSet])) {
      const name = nodes[0].name.value;
      if (key !== name) aliases++;
      const def = this.fieldDef(root, name);
      if (!def) continue;
      const s = this.summarize(def, nodes);
      aliases += s.aliases;
      if (aliases > MAX_ALIASES) throw bad(`The operation uses more than ${MAX_ALIASES} aliases.`);
      if (name === SchemaMetaFieldDef.name || name === TypeMetaFieldDef.name) {
        if (s.depth > MAX_INTROSPECTION_DEPTH) {
          throw bad(`Introspection deeper than ${MAX_INTROSPECTION_DEPTH} levels.`);
        }
        if (s.values > MAX_INTROSPECTION_VALUES) {
          throw bad('The introspection query would return too much; select less.');
        }
        continue;
      }
      if (s.depth > MAX_DEPTH) throw bad(`The operation is deeper than ${MAX_DEPTH} levels.`);
      if (name === TypeNameMetaFieldDef.name) continue;
      const rule = ruleOf(def);
      if (rule?.kind === 'free') {
        needsPrincipal ||= rule.token;
        if (rule.check) steps.push({ kind: 'check', def, node: nodes[0], check: rule.check });
      } else if (rule?.kind === 'root') {
        needsPrincipal = true;
        const returnsBilled = isBilledType(getNamedType(def.type));
        const selection = freezeSelection(returnsBilled ? s.product : (s.listed ?? emptySelection()));
        if (op.operation === 'query') steps.push({ kind: 'hook', def, node: nodes[0], hook: rule.plan, selection });
      } else {
        // checkBillingRules refuses such a schema at start-up; never serve a field without a rule.
        throw new Error(`root field ${name} has no billing rule`);
      }
    }
    return { needsPrincipal, steps };
  }

  private tick(n = 1): void {
    this.visited += n;
    if (this.visited > MAX_PLAN_NODES) throw bad('The operation is too complex (it expands to too many fields).');
  }

  /** The summary of one field over its merged nodes (same response key), memoised by type and nodes. */
  private summarize(def: AnyField, nodes: FieldNode[]): Summary {
    const type = getNamedType(def.type);
    if (!isCompositeType(type)) return { depth: 1, aliases: 0, values: 1, product: emptySelection(), listed: null };
    const key = `${type.name}|${nodes.map((n) => this.idOf(n)).join(',')}`;
    const hit = this.memo.get(key);
    if (hit) return hit;
    this.tick();
    const out: Summary = { depth: 1, aliases: 0, values: 1, product: emptySelection(), listed: null };
    const billed = isBilledType(type);
    for (const [childKey, childNodes] of this.collect(
      type,
      nodes.map((n) => n.selectionSet),
    )) {
      const name = childNodes[0].name.value;
      const child = this.fieldDef(type, name);
      if (!child) continue;
      const s = this.summarize(child, childNodes);
      out.depth = Math.max(out.depth, 1 + s.depth);
      out.aliases += s.aliases + (childKey !== name ? 1 : 0);
      out.values += s.values * this.introspection.multiplier(type, child);
      const rule = ruleOf(child);
      if (billed && rule) {
        if (rule.kind === 'scope') out.product[rule.scope] = true;
        else if (rule.kind === 'container') mergeInto(out.product, s.product);
        else if (rule.kind === 'image') {
          const args = getArgumentValues(child, childNodes[0], this.vars) as { size: ImageSize; format: ImageFormat };
          addImage(out.product, { variant: rule.variant, size: args.size, format: args.format });
        }
      }
      if (rule?.kind === 'listed') mergeInto((out.listed ??= emptySelection()), s.product);
      if (s.listed) mergeInto((out.listed ??= emptySelection()), s.listed);
      // Cap the running numbers: past the limits the exact count no longer matters.
      out.aliases = Math.min(out.aliases, MAX_ALIASES + 1);
      out.values = Math.min(out.values, MAX_INTROSPECTION_VALUES + 1);
    }
    this.memo.set(key, out);
    return out;
  }

  /** graphql-js collectFields: response key -> field nodes, @skip/@include applied, each fragment once. */
  private collect(
    type: GraphQLCompositeType,
    sets: readonly (SelectionSetNode | undefined)[],
  ): Map<string, FieldNode[]> {
    const fields = new Map<string, FieldNode[]>();
    const visitedFragments = new Set<string>();
    const walk = (set: SelectionSetNode) => {
      for (const sel of set.selections) {
        this.tick();
        if (!this.included(sel.directives)) continue;
        if (sel.kind === Kind.FIELD) {
          const key = sel.alias?.value ?? sel.name.value;
          const list = fields.get(key);
          if (list) list.push(sel);
          else fields.set(key, [sel]);
        } else if (sel.kind === Kind.INLINE_FRAGMENT) {
          if (this.applies(type, sel.typeCondition?.name.value)) walk(sel.selectionSet);
        } else {
          const name = sel.name.value;
          if (visitedFragments.has(name)) continue;
          visitedFragments.add(name);
          const frag = this.fragments.get(name);
          if (frag && this.applies(type, frag.typeCondition.name.value)) walk(frag.selectionSet);
        }
      }
    };
    for (const set of sets) if (set) walk(set);
    return fields;
  }

  private included(directives: readonly DirectiveNode[] | undefined): boolean {
    if (!directives?.length) return true;
    if (getDirectiveValues(GraphQLSkipDirective, { directives }, this.vars)?.if === true) return false;
    if (getDirectiveValues(GraphQLIncludeDirective, { directives }, this.vars)?.if === false) return false;
    return true;
  }

  private applies(type: GraphQLCompositeType, condition: string | undefined): boolean {
    if (!condition || condition === type.name) return true;
    const cond = this.schema.getType(condition);
    if (!cond) return false;
    if (isAbstractType(cond) && isObjectType(type)) return this.schema.isSubType(cond, type);
    return isAbstractType(type); // an abstract parent: any of its types may match, count it
  }

  private fieldDef(type: GraphQLCompositeType, name: string): AnyField | undefined {
    if (name === TypeNameMetaFieldDef.name) return TypeNameMetaFieldDef;
    if (type === this.schema.getQueryType()) {
      if (name === SchemaMetaFieldDef.name) return SchemaMetaFieldDef;
      if (name === TypeMetaFieldDef.name) return TypeMetaFieldDef;
    }
    return 'getFields' in type ? type.getFields()[name] : undefined;
  }

  private idOf(node: FieldNode): number {
    let id = this.ids.get(node);
    if (id === undefined) this.ids.set(node, (id = this.nextId++));
    return id;
  }
}

function applySelection(builder: PlanBuilder, gtin14: string, selection: ProductSelection): void {
  const want = builder.product(gtin14);
  want.productMeta ||= selection.productMeta;
  want.imageMeta ||= selection.imageMeta;
  for (const img of selection.images) builder.image(gtin14, img);
}

function limitBarcodes(builder: PlanBuilder): void {
  if (builder.barcodeCount > MAX_BARCODES) {
    throw bad(`At most ${MAX_BARCODES} distinct barcodes per operation (got ${builder.barcodeCount}).`);
  }
}

/** For root hooks: a barcode list argument within the per-list limit. */
export function limitList(list: readonly string[]): void {
  if (list.length === 0) throw bad('Give at least one barcode.');
  if (list.length > MAX_BARCODES) throw bad(`At most ${MAX_BARCODES} barcodes per list (got ${list.length}).`);
}

/**
 * How many values a list field of the introspection types can return at most in this schema (e.g. `types`:
 * every type); 1 for every other field. Multiplied down the tree, this is the size estimate of introspection.
 */
interface IntrospectionSizes {
  multiplier(parent: GraphQLCompositeType, field: AnyField): number;
}

const sizesBySchema = new WeakMap<GraphQLSchema, IntrospectionSizes>();

function introspectionSizes(schema: GraphQLSchema): IntrospectionSizes {
  const cached = sizesBySchema.get(schema);
  if (cached) return cached;
  const types = Object.values(schema.getTypeMap());
  const max = (xs: number[]) => Math.max(1, ...xs);
  const directives = schema.getDirectives();
  const fieldsOf = (t: unknown) =>
    'getFields' in (t as object) ? Object.values((t as GraphQLObjectType).getFields()) : [];
  const byField: Record<string, number> = {
    types: types.length,
    directives: directives.length,
    fields: max(types.map((t) => fieldsOf(t).length)),
    inputFields: max(types.map((t) => fieldsOf(t).length)),
    enumValues: max(types.map((t) => ('getValues' in t ? t.getValues().length : 0))),
    interfaces: max(types.map((t) => ('getInterfaces' in t ? t.getInterfaces().length : 0))),
    possibleTypes: max(types.map((t) => (isAbstractType(t) ? schema.getPossibleTypes(t).length : 0))),
    args: max([
      ...types.flatMap((t) => fieldsOf(t).map((f) => ('args' in f ? f.args.length : 0))),
      ...directives.map((d) => d.args.length),
    ]),
    locations: 20,
  };
  const sizes: IntrospectionSizes = {
    multiplier: (parent, field) => {
      if (!parent.name.startsWith('__') || !isListType(getNullableType(field.type))) return 1;
      return byField[field.name] ?? types.length;
    },
  };
  sizesBySchema.set(schema, sizes);
  return sizes;
}
