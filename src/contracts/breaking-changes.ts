// Breaking-change gate for the two published contracts (docs/contracts.md): the GraphQL SDL and the OpenAPI
// document are compared with the last released copies in schema/released/. Every breaking change must be
// listed by its id under "## Unreleased" in CHANGELOG.md; an unlisted one fails `npm run check`.
import { CriticalityLevel, diff } from '@graphql-inspector/core';
import { apiDiff } from 'api-smart-diff';
import { buildSchema } from 'graphql';
import YAML from 'yaml';

export interface BreakingChange {
  /** What CHANGELOG.md must name, e.g. `graphql Product.barcode` or `openapi GET /api/v1/products`. */
  id: string;
  message: string;
  listed: boolean;
}

export interface Contracts {
  releasedSdl: string;
  currentSdl: string;
  releasedOpenApi: string;
  currentOpenApi: string;
  changelog: string;
}

/** The "## Unreleased" section of the changelog (up to the next second-level heading). */
export function unreleased(changelog: string): string {
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

export async function breakingChanges(c: Contracts): Promise<BreakingChange[]> {
  const listedText = unreleased(c.changelog);
  const listed = (id: string) => listedText.includes(id);
  const out: BreakingChange[] = [];
  const gql = await diff(buildSchema(c.releasedSdl), buildSchema(c.currentSdl));
  for (const ch of gql) {
    if (ch.criticality.level !== CriticalityLevel.Breaking) continue;
    const id = `graphql ${ch.path ?? ch.type}`;
    out.push({ id, message: ch.message, listed: listed(id) });
  }
  const rest = apiDiff(YAML.parse(c.releasedOpenApi), YAML.parse(c.currentOpenApi));
  for (const d of rest) {
    if (d.type !== 'breaking') continue;
    const id = openApiId(d.path as (string | number)[]);
    out.push({ id, message: String(d.description ?? `${d.action} ${d.path.join('.')}`), listed: listed(id) });
  }
  return out;
}
