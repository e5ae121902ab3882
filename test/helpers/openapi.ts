// Validates REST responses against schema/openapi.yaml: finds the operation for (method, path), then checks
// the status is documented, the JSON body matches the response schema, and every header the response marks
// `required` is present (and matches its pattern/enum). test/helpers/http.ts call() runs it on every REST
// response: a violation throws (strict by default; KC_OPENAPI_STRICT=0 only records it), and is otherwise
// appended to $KC_OPENAPI_VIOLATIONS_FILE or <tmp>/kc-openapi-violations.jsonl.
import { appendFileSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { parse } from 'yaml';
import { repoRoot } from './paths.ts';

type Json = any;

const SPEC_FILE = path.join(repoRoot, 'schema/openapi.yaml');
const spec: Json = parse(readFileSync(SPEC_FILE, 'utf8'));
const ajv = new Ajv({ strict: false, allErrors: true });
(addFormatsModule as unknown as (a: Ajv) => void)(ajv);
ajv.addFormat('binary', true);
ajv.addSchema(spec, 'openapi');

interface PathEntry {
  template: string;
  regex: RegExp;
  params: number;
}
const paths: PathEntry[] = Object.keys(spec.paths)
  .map((template) => ({
    template,
    regex: new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}$`),
    params: (template.match(/\{/g) ?? []).length,
  }))
  .sort((a, b) => a.params - b.params); // static segments win (bulk-check over {barcode})

/** Follows `#/…` references inside the spec; returns the target and its JSON pointer. */
function deref(node: Json, pointer: string): { node: Json; pointer: string } {
  let n = node;
  let p = pointer;
  for (let i = 0; i < 10 && n && typeof n.$ref === 'string' && n.$ref.startsWith('#/'); i++) {
    p = n.$ref.slice(1);
    n = p
      .split('/')
      .slice(1)
      .reduce((o: Json, k: string) => o?.[k.replace(/~1/g, '/').replace(/~0/g, '~')], spec);
  }
  return { node: n, pointer: p };
}

const esc = (k: string) => k.replace(/~/g, '~0').replace(/\//g, '~1');
const compiled = new Map<string, ValidateFunction>();
function validatorAt(pointer: string): ValidateFunction {
  let v = compiled.get(pointer);
  if (!v) {
    v = ajv.compile({ $ref: `openapi#${pointer}` });
    compiled.set(pointer, v);
  }
  return v;
}

const errorSchema = '/components/schemas/Error';

export interface SeenResponse {
  method: string;
  path: string;
  status: number;
  headers: Headers;
  body: unknown;
}

/** Returns the ways the response disagrees with the spec (empty when it conforms). */
export function specViolations(r: SeenResponse): string[] {
  const method = r.method.toLowerCase();
  const p = r.path.split('?')[0];
  const where = `${r.method} ${p} -> ${r.status}`;
  const entry = paths.find((e) => e.regex.test(p));
  const isJson = (r.headers.get('content-type') ?? '').includes('json');
  const checkBody = (pointer: string): string[] => {
    if (method === 'head') return [];
    const v = validatorAt(pointer);
    if (v(r.body)) return [];
    return (v.errors ?? []).map(
      (e) => `${where}: body${e.instancePath} ${e.message}${e.params ? ` ${JSON.stringify(e.params)}` : ''}`,
    );
  };
  if (!entry) {
    if (r.status >= 400 && (isJson || method === 'head')) return checkBody(errorSchema);
    return [`${where}: path not in the spec`];
  }
  const item = spec.paths[entry.template];
  const op = item[method] ?? (method === 'head' ? item.get : undefined);
  if (!op) return r.status === 405 ? checkBody(errorSchema) : [`${where}: method not in the spec`];
  const opPointer = `/paths/${esc(entry.template)}/${item[method] ? method : 'get'}`;
  const declared = op.responses?.[String(r.status)] ?? op.responses?.default;
  if (!declared)
    return r.status === 405 || r.status === 404 ? checkBody(errorSchema) : [`${where}: status not documented`];
  const { node: resp, pointer: respPointer } = deref(declared, `${opPointer}/responses/${r.status}`);
  const problems: string[] = [];
  const headerMap = deref(resp.headers ?? {}, `${respPointer}/headers`).node ?? {};
  for (const [name, h0] of Object.entries(headerMap)) {
    const h = deref(h0, '').node;
    const value = r.headers.get(name);
    if (value === null) {
      if (h?.required) problems.push(`${where}: required header ${name} missing`);
      continue;
    }
    if (h?.schema?.pattern && !new RegExp(h.schema.pattern).test(value))
      problems.push(`${where}: header ${name}=${value} does not match ${h.schema.pattern}`);
    if (h?.schema?.enum && !h.schema.enum.includes(value))
      problems.push(`${where}: header ${name}=${value} not in ${h.schema.enum}`);
  }
  const content = resp.content as Record<string, Json> | undefined;
  if (!content || method === 'head') return problems;
  const type = (r.headers.get('content-type') ?? '').split(';')[0].trim();
  if (!content[type])
    return [...problems, `${where}: content type "${type}" not documented (${Object.keys(content).join(', ')})`];
  if (type.includes('json')) problems.push(...checkBody(`${respPointer}/content/${esc(type)}/schema`));
  return problems;
}

let strict = process.env.KC_OPENAPI_STRICT !== '0';

/** Makes every violation throw in this test file (module state is per test file). */
export function useStrictOpenApi(): void {
  strict = true;
}

/** Called by call() for every REST response. */
export function checkAgainstSpec(r: SeenResponse): void {
  if (!/^\/(api|admin)\/v1\//.test(r.path)) return;
  const problems = specViolations(r);
  if (!problems.length) return;
  if (strict) throw new Error(`Response does not match schema/openapi.yaml:\n  ${problems.join('\n  ')}`);
  const file = process.env.KC_OPENAPI_VIOLATIONS_FILE ?? path.join(os.tmpdir(), 'kc-openapi-violations.jsonl');
  try {
    appendFileSync(
      file,
      problems.map((p) => JSON.stringify({ at: new Date().toISOString(), problem: p })).join('\n') + '\n',
    );
  } catch {
    /* recording is best effort */
  }
}
