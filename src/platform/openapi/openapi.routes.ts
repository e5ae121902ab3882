// GET /api/v1/openapi.json: the REST v1 contract (schema/openapi.yaml) as JSON, public. Parsed once at
// start-up, so a broken document fails the start, not a client's request; so does a document whose
// `deprecated: true` operations are not exactly the routes declared deprecated (docs/versioning.md).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import type { Route } from '../http/router.ts';

const OPENAPI_YAML = path.resolve(import.meta.dirname, '../../../schema/openapi.yaml');

export function openApiRoutes(file = OPENAPI_YAML, routes: readonly Route[] = []): Route[] {
  const doc: unknown = parse(readFileSync(file, 'utf8'));
  const wrong = deprecationMismatches(doc, routes);
  if (wrong.length) throw new Error(`${file}: ${wrong.join('; ')} (docs/versioning.md)`);
  return [
    {
      method: 'GET',
      path: '/api/v1/openapi.json',
      access: 'public',
      async handler() {
        return { status: 200, json: doc, headers: { 'Cache-Control': 'public, max-age=300' } };
      },
    },
  ];
}

const template = (p: string) => p.replace(/\{[^}]+\}/g, '{}').replace(/:[A-Za-z_]\w*/g, '{}');

/**
 * Where the document and the routes disagree on deprecation: a documented operation of a deprecated route that
 * lacks `deprecated: true`, or an operation marked deprecated whose route is not (or does not exist). Routes the
 * document does not describe at all are another test's business (test/platform/openapi/openapi.test.ts).
 * @internal Exported for its tests.
 */
export function deprecationMismatches(doc: unknown, routes: readonly Route[]): string[] {
  const paths = ((doc as { paths?: Record<string, Record<string, unknown>> })?.paths ?? {}) as Record<
    string,
    Record<string, { deprecated?: unknown } | undefined>
  >;
  const byTemplate = new Map(Object.entries(paths).map(([p, ops]) => [template(p), { p, ops }]));
  const out: string[] = [];
  const declared = new Set<string>();
  for (const r of routes) {
    const entry = byTemplate.get(template(r.path));
    const op = entry?.ops[r.method.toLowerCase()];
    if (!r.deprecated || !entry) continue;
    declared.add(`${r.method.toLowerCase()} ${template(r.path)}`);
    if (op && op.deprecated !== true) out.push(`${r.method} ${entry.p} is deprecated but not marked deprecated`);
  }
  for (const [t, { p, ops }] of byTemplate)
    for (const [method, op] of Object.entries(ops))
      if (op?.deprecated === true && !declared.has(`${method} ${t}`))
        out.push(`${method.toUpperCase()} ${p} is marked deprecated but its route is not`);
  return out;
}
