// The deprecation policy of docs/versioning.md, as the breaking-change gate applies it: a removal or a type change
// passes only when the released contract already marked the element deprecated (GraphQL `@deprecated`, OpenAPI
// `deprecated: true` on it or on what contains it) and a dated, released CHANGELOG section at least
// DEPRECATION_DAYS before today names its id under "### Deprecated". Other breaking changes (a new required
// argument, a narrowed value set) cannot be announced by a deprecation and keep the old rule: listed under
// "## Unreleased".
import { type GraphQLSchema, isEnumType, isInputObjectType, isInterfaceType, isObjectType } from 'graphql';

const DEPRECATION_DAYS = 90;

/**
 * Breaking changes already listed under "## Unreleased" when the policy was adopted (2026-12-07), announced under
 * the rule before it. They ship with the next release; `npm run contracts:release` moves the baseline past them,
 * and this list must then be emptied (docs/versioning.md#adoption). Never add to it.
 */
const PRE_POLICY = new Set(['graphql ApiClient.tier', 'graphql BulkCheckResult.error', 'graphql RateTier.tier']);

export type ChangeKind = 'removal' | 'type-change' | 'other';

/** graphql-inspector's change types that remove something, or change what type it has. */
export function graphqlKind(type: string): ChangeKind {
  if (/_REMOVED$/.test(type) && !/DEPRECATION|DESCRIPTION|DEFAULT/.test(type)) return 'removal';
  if (/_TYPE_CHANGED$/.test(type) || type === 'TYPE_KIND_CHANGED') return 'type-change';
  return 'other';
}

/** api-smart-diff's change: removing an operation, a path, a parameter or a property; replacing a `type`. */
export function openApiKind(action: string, path: (string | number)[]): ChangeKind {
  const last = path.at(-1);
  const parent = path.at(-2);
  if (action === 'remove') {
    if (path[0] === 'paths' && path.length <= 3) return 'removal';
    if (parent === 'properties' || parent === 'parameters') return 'removal';
  }
  if (action === 'replace' && last === 'type') return 'type-change';
  return 'other';
}

/** Whether the released schema marks `Type.field`, `Type.field.arg`, `Input.field` or `Enum.VALUE` deprecated. */
export function graphqlDeprecated(schema: GraphQLSchema, path: string): boolean {
  const [typeName, member, arg] = path.split('.');
  const type = schema.getType(typeName);
  if (!type || !member) return false;
  if (isEnumType(type)) return !!type.getValue(member)?.deprecationReason;
  if (isObjectType(type) || isInterfaceType(type) || isInputObjectType(type)) {
    const field = type.getFields()[member];
    if (!field) return false;
    if (arg === undefined) return !!field.deprecationReason;
    if (!('args' in field)) return false;
    return !!field.args.find((a) => a.name === arg)?.deprecationReason;
  }
  return false;
}

/** Whether the node at `path` of the (dereferenced) released OpenAPI document, or one around it, is deprecated. */
export function openApiDeprecated(doc: unknown, path: (string | number)[]): boolean {
  let node: unknown = doc;
  for (const key of path) {
    if (!node || typeof node !== 'object') return false;
    node = (node as Record<string | number, unknown>)[key];
    if (node && typeof node === 'object' && (node as { deprecated?: unknown }).deprecated === true) return true;
  }
  return false;
}

/**
 * The ids named under "### Deprecated" of each released, dated section (`## 1.4.0 — 2026-08-01` or
 * `## 2026-08-01`), with the earliest date each was named on.
 */
export function deprecationDates(changelog: string): Map<string, Date> {
  const out = new Map<string, Date>();
  const sections = changelog.split(/^## /m).slice(1);
  for (const s of sections) {
    const heading = s.slice(0, s.indexOf('\n'));
    if (/^Unreleased/i.test(heading)) continue;
    const date = /(\d{4}-\d{2}-\d{2})/.exec(heading)?.[1];
    if (!date) continue;
    const deprecated = /^### Deprecated[^\n]*\n([\s\S]*?)(?=^### |(?![\s\S]))/m.exec(s)?.[1];
    if (!deprecated) continue;
    const when = new Date(`${date}T00:00:00Z`);
    for (const m of deprecated.matchAll(/`((?:graphql|openapi) [^`]+)`/g)) {
      const prev = out.get(m[1]);
      if (!prev || when < prev) out.set(m[1], when);
    }
  }
  return out;
}

/** Why a removal or type change may not ship yet, or null when the policy is met. */
export function policyViolation(o: {
  id: string;
  deprecatedInRelease: boolean;
  announced: Map<string, Date>;
  today: Date;
}): string | null {
  if (PRE_POLICY.has(o.id)) return null;
  if (!o.deprecatedInRelease)
    return `not deprecated in the released contract: deprecate it first and remove it ${DEPRECATION_DAYS} days after that release (docs/versioning.md)`;
  const when = o.announced.get(o.id);
  if (!when)
    return `no dated, released CHANGELOG section names \`${o.id}\` under "### Deprecated" (docs/versioning.md)`;
  const days = Math.floor((o.today.getTime() - when.getTime()) / 86_400_000);
  if (days < DEPRECATION_DAYS)
    return `deprecated ${days} days ago (${when.toISOString().slice(0, 10)}); removal allowed after ${DEPRECATION_DAYS} days`;
  return null;
}
