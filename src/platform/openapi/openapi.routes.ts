// GET /api/v1/openapi.json: the REST v1 contract (schema/openapi.yaml) as JSON, public. Parsed once at
// start-up, so a broken document fails the start, not a client's request.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import type { Route } from '../http/router.ts';

const OPENAPI_YAML = path.resolve(import.meta.dirname, '../../../schema/openapi.yaml');

export function openApiRoutes(file = OPENAPI_YAML): Route[] {
  const doc: unknown = parse(readFileSync(file, 'utf8'));
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
