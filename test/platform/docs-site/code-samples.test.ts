// The reference's code samples (src/platform/docs-site/code-samples.ts): openapi.yaml holds, for every sampled
// operation, curl, JavaScript, PHP and Python samples equal to the clients' example files (which their suites run),
// and `npm run check:samples` fails as soon as one drifts, naming the command that fixes it.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  codeSamplesDrift,
  OPENAPI_FILE,
  SAMPLED_OPERATIONS,
  samplesFor,
  withCodeSamples,
} from '../../../src/platform/docs-site/code-samples.ts';
import { repoRoot } from '../../helpers/paths.ts';

const run = promisify(execFile);
type Operation = { operationId?: string; 'x-codeSamples'?: { lang: string; label: string; source: string }[] };
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'kc-samples-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function operations(yaml: string): Map<string, Operation> {
  const doc = parse(yaml) as { paths: Record<string, Record<string, Operation>> };
  const ops = new Map<string, Operation>();
  for (const item of Object.values(doc.paths))
    for (const op of Object.values(item))
      if (op && typeof op === 'object' && op.operationId) ops.set(op.operationId, op);
  return ops;
}

describe('x-codeSamples', () => {
  it('openapi.yaml shows each sampled operation in curl, JavaScript, PHP and Python, as the examples are', async () => {
    expect(codeSamplesDrift()).toBeNull();
    const ops = operations(await readFile(OPENAPI_FILE, 'utf8'));
    for (const id of Object.keys(SAMPLED_OPERATIONS)) {
      const samples = ops.get(id)?.['x-codeSamples'];
      expect(
        samples?.map((s) => s.label),
        id,
      ).toEqual(['curl', 'JavaScript', 'PHP', 'Python']);
      expect(samples, id).toEqual(samplesFor(id));
    }
    // The whole file of an example (PHP, Python, curl); the JavaScript sample is its function of operations.mjs.
    const php = await readFile(path.join(repoRoot, 'clients/php/examples/get_product.php'), 'utf8');
    expect(ops.get('getProduct')?.['x-codeSamples']?.[2].source).toBe(php);
    expect(ops.get('getProduct')?.['x-codeSamples']?.[1].source).toMatch(/export async function getProduct\(kc/);
    // Operations without an example carry no samples (never a hand-written one).
    const unsampled = [...ops].filter(([id, op]) => !SAMPLED_OPERATIONS[id] && op['x-codeSamples']);
    expect(unsampled.map(([id]) => id)).toEqual([]);
  });

  it('rewriting is stable and touches nothing but the samples', async () => {
    const yaml = await readFile(OPENAPI_FILE, 'utf8');
    expect(withCodeSamples(yaml)).toBe(yaml);
    const stripped = yaml.replace(/^( +)x-codeSamples:\n(?:\1 .*\n|\n)*/gm, '');
    expect(stripped).not.toContain('x-codeSamples');
    expect(withCodeSamples(stripped)).toBe(yaml);
  });

  it('npm run check:samples fails on a drifted sample and names the fix', async () => {
    const yaml = await readFile(OPENAPI_FILE, 'utf8');
    const drifted = path.join(dir, 'openapi.yaml');
    await writeFile(drifted, yaml.replace("include: ['product_meta', 'images'],", "include: ['product_meta'],"));
    expect(codeSamplesDrift(drifted)).toMatch(
      /x-codeSamples differ from the clients' examples; run `npm run samples:write`/,
    );
    const check = await run(
      process.execPath,
      ['--import', 'tsx', 'src/main/cli/code-samples.cli.ts', '--check', '--file', drifted],
      {
        cwd: repoRoot,
        timeout: 60_000,
      },
    ).then(
      () => ({ code: 0, stderr: '' }),
      (e: { code: number; stderr: string }) => e,
    );
    expect(check.code).toBe(1);
    expect(check.stderr).toContain('npm run samples:write');
  }, 90_000);
});
