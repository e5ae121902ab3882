// Breaking-change gate for the two published contracts (docs/contracts.md): the GraphQL SDL and the OpenAPI
// document are compared with the last released copies in schema/released/. Every breaking change must be
// listed by its id under "## Unreleased" in CHANGELOG.md; an unlisted one fails `npm run check`. A removal or a
// type change must also have been deprecated long enough (deprecation-policy.ts, docs/versioning.md).
import { CriticalityLevel, diff } from '@graphql-inspector/core';
import { apiDiff } from 'api-smart-diff';
import { buildSchema } from 'graphql';
import YAML from 'yaml';
import {
  deprecationDates,
  graphqlDeprecated,
  graphqlKind,
  openApiDeprecated,
  openApiKind,
  policyViolation,
} from './deprecation-policy.ts';

export interface BreakingChange {
  /** What CHANGELOG.md must name, e.g. `graphql Product.barcode` or `openapi GET /api/v1/products`. */
  id: string;
  message: string;
  listed: boolean;
  /** A removal or type change that the deprecation policy does not allow yet: why. */
  policy?: string;
}

export interface Contracts {
  releasedSdl: string;
  currentSdl: string;
  releasedOpenApi: string;
  currentOpenApi: string;
  changelog: string;
  /** The day the deprecation periods are counted to (default: now). */
  today?: Date;
}

/** The "## Unreleased" section of the changelog (up to the next second-level heading). */
function unreleased(changelog: string): string {
  const m = /^## Unreleased[^\n]*\n([\s\S]*?)(?=^## |(?![\s\S]))/m.exec(changelog);
  return m ? m[1] : '';
}

const METHODS = new Set(['get', 'put', 'post', 'delete', 'patch', 'head', 'options']);

/** A stable, readable id for an OpenAPI diff path: the operation when there is one, else the JSON path. */
function openApiId(path: (string | number)[]): string {
  if (path[0] === 'paths' && typeof path[1] === 'string') {
    const method = typeof path[2] === 'string' && METHODS.has(path[2]) ? `${path[2].toUpperCase()} ` : '';
    return `openapi ${method}${path[1]}`;
  }
  return `openapi ${path.join('.')}`;
}

/**
 * The document with every internal `$ref` replaced by its target, so that moving a definition behind a $ref
 * (or expanding one) compares as what it is: no change. A $ref back into its own chain stays a $ref.
 */
function dereference(doc: unknown): unknown {
  const lookup = (ref: string): unknown =>
    ref
      .slice(2)
      .split('/')
      .map((k) => k.replace(/~1/g, '/').replace(/~0/g, '~'))
      .reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], doc);
  const walk = (node: unknown, seen: Set<string>): unknown => {
    if (Array.isArray(node)) return node.map((n) => walk(n, seen));
    if (!node || typeof node !== 'object') return node;
    const ref = (node as { $ref?: unknown }).$ref;
    if (typeof ref === 'string' && ref.startsWith('#/')) {
      if (seen.has(ref)) return node;
      return walk(lookup(ref), new Set(seen).add(ref));
    }
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, walk(v, seen)]));
  };
  return walk(doc, new Set());
}

export async function breakingChanges(c: Contracts): Promise<BreakingChange[]> {
  const listedText = unreleased(c.changelog);
  // The id as a whole word: `openapi GET /api/v1/products` is not listed by `openapi GET /api/v1/products/{barcode}`.
  const listed = (id: string) =>
    new RegExp(`(^|[^\\w/{}.-])${id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\w/{}.-])`).test(listedText);
  const announced = deprecationDates(c.changelog);
  const today = c.today ?? new Date();
  const policy = (id: string, kind: string, deprecatedInRelease: () => boolean) =>
    kind === 'other'
      ? undefined
      : (policyViolation({ id, deprecatedInRelease: deprecatedInRelease(), announced, today }) ?? undefined);
  const out: BreakingChange[] = [];
  const releasedSchema = buildSchema(c.releasedSdl);
  const gql = await diff(releasedSchema, buildSchema(c.currentSdl));
  for (const ch of gql) {
    if (ch.criticality.level !== CriticalityLevel.Breaking) continue;
    const id = `graphql ${ch.path ?? ch.type}`;
    const why = policy(id, graphqlKind(ch.type), () => graphqlDeprecated(releasedSchema, ch.path ?? ''));
    out.push({ id, message: ch.message, listed: listed(id), ...(why ? { policy: why } : {}) });
  }
  const releasedDoc = dereference(YAML.parse(c.releasedOpenApi));
  const rest = apiDiff(releasedDoc, dereference(YAML.parse(c.currentOpenApi)));
  for (const d of rest) {
    if (d.type !== 'breaking') continue;
    // Prose is never breaking, whatever the differ's rule for the node around it says.
    if (['description', 'summary', 'example', 'examples'].includes(String(d.path.at(-1)))) continue;
    const path = d.path as (string | number)[];
    const id = openApiId(path);
    const why = policy(id, openApiKind(d.action, path), () => openApiDeprecated(releasedDoc, path));
    out.push({
      id,
      message: String(d.description ?? `${d.action} ${d.path.join('.')}`),
      listed: listed(id),
      ...(why ? { policy: why } : {}),
    });
  }
  return out;
}
